package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Scripts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS termination on tcp and http listeners: the certificate picked by SNI, TLS versions, ALPN. */
@Timeout(60)
class TlsTerminationTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static Issued a;
    static Issued b;
    static Issued wild;

    private final int port = FreePorts.next();
    private final InetSocketAddress lb0 = new InetSocketAddress("127.0.0.1", port);
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir, "Termination CA");
        a = pki.issue("a", 30, "a.test");
        b = pki.issue("b", 30, "b.test", "www.b.test");
        wild = pki.issue("wild", 30, "*.w.test");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    static String certKeys() {
        return "add cert-key ckA cert " + a.certFile() + " key " + a.keyFile() + "\n"
                + "add cert-key ckB cert " + b.certFile() + "," + pki.ca().certFile() + " key " + b.keyFile() + "\n"
                + "add cert-key ckW cert " + wild.certFile() + " key " + wild.keyFile() + "\n";
    }

    private String script(String backend, String protocol) {
        return certKeys() + """
                add server-group g timeout 300 period 200 up 1 down 1 protocol none
                add server s1 to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol %s cert-key ckA,ckB,ckW
                """.formatted(backend, port, protocol);
    }

    static io.fulcrum.proto.v1.Config config(String script, long version) {
        return Scripts.config(io.fulcrum.config.command.CertKeyFiles.inline(script, dir), version);
    }

    @Test
    void sniPicksTheExactNameThenTheWildcardThenTheFirstAndTcpIsRelayedDecrypted() {
        try (NamedServer backend = NamedServer.start("b1")) {
            assertTrue(node.apply(config(script(backend.address(), "tcp"), 1)).isApplied());
            String ca = pki.ca().certPem();
            assertServes(a, "a.test", ca);
            assertServes(b, "www.b.test", ca);
            assertServes(b, "b.test", ca);
            assertServes(wild, "x.w.test", ca);
            assertServes(a, "unknown.test", ca);
            try (TlsClient noSni = TlsClient.connect(lb0, ca, null)) {
                assertEquals(a.serial(), noSni.serial(), "no SNI: the first cert-key");
            }
            try (TlsClient client = TlsClient.connect(lb0, ca, "b.test")) {
                assertEquals("b1 hello", client.exchange("hello\n"));
                assertTrue(client.protocol().equals("TLSv1.3") || client.protocol().equals("TLSv1.2"), client.protocol());
            }
        }
    }

    private void assertServes(Issued expected, String sni, String ca) {
        try (TlsClient client = TlsClient.connect(lb0, ca, sni)) {
            assertEquals(expected.serial(), client.serial(), "SNI " + sni);
        }
    }

    @Test
    void httpListenerTerminatesTlsAndNegotiatesHttp11() {
        try (HttpBackend backend = HttpBackend.start("h1")) {
            assertTrue(node.apply(config(script(backend.address(), "http"), 1)).isApplied());
            try (TlsClient client = TlsClient.connect(lb0, pki.ca().certPem(), "a.test", "h2", "http/1.1")) {
                assertEquals("http/1.1", client.alpn());
                assertTrue(client.httpGet("a.test").startsWith("HTTP/1.1 200 "));
                assertTrue(client.httpGet("a.test").startsWith("HTTP/1.1 200 "), "keep-alive over TLS");
            }
        }
    }
}
