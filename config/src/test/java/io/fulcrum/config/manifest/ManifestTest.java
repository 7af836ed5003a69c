package io.fulcrum.config.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.model.ConfigDiff;
import io.fulcrum.proto.v1.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ManifestTest {
    static final String SEED = String.join("\n",
            "add event-loop-group worker", "add event-loop w1 to event-loop-group worker",
            "add security-group secg0 default deny",
            "add security-group-rule r1 to security-group secg0 network 10.0.0.0/8 protocol TCP port-range 80,80 default allow",
            "add server-group ngx timeout 500 period 1000 up 2 down 3 method wlc event-loop-group worker "
                    + "annotations {\"fulcrum/hc-http-uri\":\"/health\",\"team\":\"web platform\"}",
            "add server s1 to server-group ngx address 10.0.0.1:80 weight 0",
            "add upstream ups", "add server-group ngx to upstream ups weight 7 annotations {\"fulcrum/hint-host\":\"*.example.com\"}",
            "add tcp-lb lb0 address 127.0.0.1:8080 upstream ups security-group secg0 in-buffer-size 4096 protocol http "
                    + "annotations {\"fulcrum/http-access-log\":\"stdout\"}",
            "add vip vip0 address 10.210.0.50/24 router-id 51 password pw selector role=edge",
            "add vip vip1 address 10.210.0.51/24 router-id 52 advert 100");

    @Test
    void writtenManifestsReadBackToTheSameConfig() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(SEED);
        Config config = interpreter.model().toProto();
        String yaml = Manifest.write(config);
        assertTrue(yaml.contains("kind: TcpLb"), yaml);
        assertTrue(yaml.contains("inBufferSize: 4096"), yaml);
        assertTrue(yaml.contains("kind: Vip") && yaml.contains("selector: role=edge") && yaml.contains("routerId: 52"), yaml);
        assertTrue(yaml.contains("protocol: http") && yaml.contains("fulcrum/http-access-log: stdout")
                && yaml.contains("fulcrum/hint-host: '*.example.com'"), yaml);
        Config read = Manifest.read(yaml);
        assertTrue(ConfigDiff.plan(config, read, true).changesNothing(), "round trip:\n" + yaml);
    }

    @Test
    void aVipSelectorMayBeAMapping() {
        Config config = Manifest.read("""
                apiVersion: fulcrum.io/v1
                kind: Vip
                metadata: {name: web}
                spec: {address: 192.168.99.151/24, routerId: 51, selector: {role: edge, zone: a}}
                """);
        assertEquals(java.util.Map.of("role", "edge", "zone", "a"), config.getVips(0).getSelectorMap());
        assertEquals(51, config.getVips(0).getRouterId());
    }

    @Test
    void aDiscoveredGroupRoundTripsWithItsServersLeftToTheSource() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(SEED + "\nadd server-group redis timeout 500 period 1000 up 2 down 3 "
                + "discovery srv:redis.service.dc1.consul discovery-resolver 127.0.0.1:8600");
        Config config = interpreter.model().toProto();
        // what discovery would have committed
        config = config.toBuilder().setServerGroups(1, config.getServerGroups(1).toBuilder().addServers(
                io.fulcrum.proto.v1.Server.newBuilder().setName("a.consul:6379").setAddress("10.0.0.5:6379").setWeight(1)))
                .build();
        String yaml = Manifest.write(config);
        assertTrue(yaml.contains("discovery: srv:redis.service.dc1.consul") && yaml.contains("discoveryInterval: 5000"), yaml);
        String plain = yaml.substring(0, yaml.indexOf("name: redis"));
        assertTrue(plain.contains("discovery: none") && !plain.contains("discoveryInterval"), plain);
        assertTrue(ConfigDiff.plan(config, Manifest.read(yaml), true).changesNothing(), "round trip:\n" + yaml);
    }

    @Test
    void aTlsGroupRoundTripsWithItsOriginationParameters() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(SEED + "\nadd server-group api timeout 500 period 1000 up 2 down 3 protocol http tls true "
                + "sni api.example.test host-header api.example.test\n"
                + "add server-group lab timeout 500 period 1000 up 2 down 3 tls true tls-verify insecure-skip-verify");
        Config config = interpreter.model().toProto();
        String yaml = Manifest.write(config);
        assertTrue(yaml.contains("tls: true") && yaml.contains("sni: api.example.test")
                && yaml.contains("hostHeader: api.example.test") && yaml.contains("tlsVerify: insecure-skip-verify"), yaml);
        String plain = yaml.substring(0, yaml.indexOf("name: api"));
        assertTrue(!plain.contains("tlsVerify") && !plain.contains("sni:"), plain);
        assertTrue(ConfigDiff.plan(config, Manifest.read(yaml), true).changesNothing(), "round trip:\n" + yaml);
    }

    @Test
    void aCertKeyManifestMayNameFilesRelativeToItsOwnDirectory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "site.key", "-out", "site.pem", "-days", "5",
                "-subj", "/CN=site.test").directory(dir.toFile()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor());
        String yaml = """
                apiVersion: fulcrum.io/v1
                kind: CertKey
                metadata: {name: site}
                spec: {certFile: [site.pem], keyFile: site.key}
                """;
        Config config = Manifest.read(yaml, dir);
        assertEquals(java.nio.file.Files.readString(dir.resolve("site.pem")).strip() + "\n", config.getCertKeys(0).getCert());
        assertTrue(config.getCertKeys(0).getKey().startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("document 1 (CertKey site): spec.certFile: file paths need a manifest file to be relative to "
                + "(fctl apply -f FILE); give cert as PEM text",
                assertThrows(ManifestException.class, () -> Manifest.read(yaml)).getMessage());
        String missing = assertThrows(ManifestException.class,
                () -> Manifest.read(yaml.replace("keyFile: site.key", "keyFile: nope.key"), dir)).getMessage();
        assertTrue(missing.startsWith("document 1 (CertKey site): spec.keyFile: cannot read ") && missing.endsWith(
                "nope.key: no such file"), missing);
    }

    @Test
    void aHandWrittenManifestUsesDefaultsAndShortLists() {
        Config config = Manifest.read("""
                apiVersion: fulcrum.io/v1
                kind: EventLoopGroup
                metadata: {name: workers}
                spec:
                  eventLoops: [w1, w2]
                ---
                apiVersion: fulcrum.io/v1
                kind: SecurityGroup
                metadata: {name: office}
                spec:
                  default: deny
                  rules:
                    - {name: lan, network: 192.168.0.0/16, protocol: TCP, portRange: [1, 65535], default: allow}
                """);
        assertEquals(2, config.getEventLoopGroups(0).getEventLoopsCount());
        assertEquals(65535, config.getSecurityGroups(0).getRules(0).getPortRange().getMax());
    }

    @Test
    void errorsNameTheDocumentTheKeyAndWhatIsAllowed() {
        String header = "apiVersion: fulcrum.io/v1\nkind: ServerGroup\nmetadata: {name: ngx}\n";
        assertEquals("document 1 (ServerGroup ngx): spec.up: must be an integer 1..1000, got \"two\"",
                assertThrows(ManifestException.class, () -> Manifest.read(header + "spec: {up: two}")).getMessage());
        assertEquals("document 1 (ServerGroup ngx): spec: unknown key upp; allowed: timeout, period, up, down, protocol, method, "
                + "eventLoopGroup, annotations, discovery, discoveryResolver, discoveryInterval, discoveryTimeout, "
                + "discoveryHoldEmpty, tls, sni, caCertKey, tlsVerify, hostHeader, slowStart, servers",
                assertThrows(ManifestException.class, () -> Manifest.read(header + "spec: {upp: 2}")).getMessage());
        assertEquals("document 1: kind must be one of [EventLoopGroup, SecurityGroup, ServerGroup, Upstream, TcpLb, Vip, CertKey], got "
                + "\"Server\"", assertThrows(ManifestException.class,
                () -> Manifest.read("apiVersion: fulcrum.io/v1\nkind: Server\nmetadata: {name: a}")).getMessage());
        assertEquals("document 1 (ServerGroup ngx): spec.servers[0]: name is required", assertThrows(ManifestException.class,
                () -> Manifest.read(header + "spec: {servers: [{address: 1.2.3.4:5}]}")).getMessage());
        assertTrue(assertThrows(ManifestException.class, () -> Manifest.read("a: [")).getMessage().startsWith("not valid YAML"));
    }
}
