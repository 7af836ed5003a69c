package io.fulcrum.dataplane.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fulcrum.config.testing.TestPki;
import io.fulcrum.config.testing.TestPki.Issued;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.runtime.RuntimeBuilder;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.proto.v1.HealthState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Origination: a server group with {@code tls} talks TLS to its servers, sends SNI (the server's
 * host name, or the group's sni), verifies the certificate (chain and name) against a CA cert-key,
 * and gives the client a 502 with one log line when verification fails.
 */
@Timeout(60)
class OriginationTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki other;
    static Issued origin;

    private final int port = FreePorts.next();
    private final InetSocketAddress lb0 = new InetSocketAddress("127.0.0.1", port);
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void certificates() {
        pki = TestPki.create(dir, "Origin CA");
        other = TestPki.create(dir, "Other CA");
        origin = pki.issue("origin", 30, "localhost", "origin.test");
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(Origination.class)).addAppender(logs);
        ((Logger) LoggerFactory.getLogger(RuntimeBuilder.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Origination.class)).detachAppender(logs);
        ((Logger) LoggerFactory.getLogger(RuntimeBuilder.class)).detachAppender(logs);
        node.close();
    }

    private String script(String health, String tls, String protocol, String... servers) {
        StringBuilder script = new StringBuilder()
                .append("add cert-key ca cert ").append(pki.ca().certFile()).append(" key ").append(pki.ca().keyFile()).append('\n')
                .append("add cert-key other cert ").append(other.ca().certFile()).append(" key ")
                .append(other.ca().keyFile()).append('\n')
                .append("add server-group g timeout 1000 period 200 up 1 down 1 protocol ").append(health).append(' ')
                .append(tls).append('\n');
        for (int i = 0; i < servers.length; i++) {
            script.append("add server s").append(i + 1).append(" to server-group g address ").append(servers[i]).append('\n');
        }
        return script.append("add upstream u\nadd server-group g to upstream u\n")
                .append("add tcp-lb lb0 address 127.0.0.1:").append(port).append(" upstream u protocol ").append(protocol)
                .append('\n').toString();
    }

    private void apply(String script) {
        assertTrue(node.apply(io.fulcrum.dataplane.testing.Scripts.config(
                io.fulcrum.config.command.CertKeyFiles.inline(script, dir), 1)).isApplied());
    }

    private static String localhost(HttpBackend backend) {
        return backend.address().replace("127.0.0.1", "localhost");
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void theServersHostNameIsTheSniAndItsCertificateIsVerifiedAgainstTheCaCertKey() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            apply(script("none", "tls true ca-cert-key ca", "http", localhost(backend)));
            try (HttpClientConnection client = new HttpClientConnection(lb0)) {
                assertEquals("o1", client.get("client.test", "/").text());
                assertEquals("o1", client.get("client.test", "/").text());
            }
            assertEquals(List.of("localhost"), backend.sniReceived(), "one handshake, the pooled connection is reused");
            assertEquals("client.test", backend.received().get(0).header("Host"), "without host-header the Host is kept");
        }
    }

    @Test
    void theGroupsSniAndHostHeaderAreSentAndTheNameIsVerified() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            apply(script("none", "tls true sni origin.test ca-cert-key ca host-header origin.test", "http",
                    backend.address()));
            assertEquals(200, HttpClientConnection.get(lb0, "client.test", "/").status());
            assertEquals(List.of("origin.test"), backend.sniReceived());
            assertEquals("origin.test", backend.received().get(0).header("Host"));
        }
    }

    @Test
    void aServerTheCaDoesNotVouchForGetsA502AndOneLogLineNamingServerGroupAndReason() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            apply(script("none", "tls true ca-cert-key other", "http", localhost(backend)));
            assertEquals(502, HttpClientConnection.get(lb0, "client.test", "/").status());
            assertEquals(502, HttpClientConnection.get(lb0, "client.test", "/").status());
            List<String> lines = warnings().stream().filter(l -> l.startsWith("TLS to server")).toList();
            assertEquals(1, lines.size(), "once per server and reason, not per request: " + lines);
            String line = lines.get(0);
            assertTrue(line.contains("server s1 of server-group g") && line.contains("(sni localhost)")
                    && line.contains("not trusted: no chain to ca-cert-key other"), line);
            assertEquals(0, backend.received().size());
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheServerIsRefused() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            // an IP address without sni: no SNI is sent and the certificate must name the IP
            apply(script("none", "tls true ca-cert-key ca", "http", backend.address()));
            assertEquals(502, HttpClientConnection.get(lb0, "client.test", "/").status());
            assertTrue(warnings().stream().anyMatch(l -> l.contains("(sni none)") && l.contains("does not name 127.0.0.1")),
                    warnings().toString());
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificateAndWarnsWhenApplied() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            apply(script("none", "tls true tls-verify insecure-skip-verify", "http", backend.address()));
            assertEquals("o1", HttpClientConnection.get(lb0, "client.test", "/").text());
            assertTrue(warnings().stream().anyMatch(l -> l.contains("server-group g: tls-verify insecure-skip-verify")),
                    warnings().toString());
        }
    }

    @Test
    void httpHealthChecksSpeakTlsWithTheSameVerification() {
        try (HttpBackend secure = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem());
                HttpBackend plain = HttpBackend.start("p1")) {
            apply(script("http", "tls true sni origin.test ca-cert-key ca", "http", secure.address(), plain.address()));
            awaitState("s1", HealthState.HEALTH_STATE_UP);
            awaitState("s2", HealthState.HEALTH_STATE_DOWN);
            assertTrue(node.health().find("g", "s2").orElseThrow().getReason().startsWith("TLS: "),
                    node.health().find("g", "s2").orElseThrow().getReason());
            assertTrue(secure.sniReceived().stream().allMatch("origin.test"::equals));
        }
    }

    @Test
    void aTcpListenerRelaysToTheServerOverTls() throws IOException {
        try (HttpBackend backend = HttpBackend.startTls("o1", origin.certPem(), origin.keyPem())) {
            apply(script("none", "tls true sni origin.test ca-cert-key ca", "tcp", backend.address()));
            Socket client = new Socket(lb0.getAddress(), port);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200 ") && response.endsWith("o1"), response);
            assertEquals(List.of("origin.test"), backend.sniReceived());
            client.close();
        }
    }

    private void awaitState(String server, HealthState state) {
        Poll.until(Duration.ofSeconds(10), () -> node.health().find("g", server).map(h -> h.getState() == state).orElse(false),
                () -> server + " " + state + ", now " + node.health().find("g", server));
    }
}
