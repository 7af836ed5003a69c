package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One access-log line per request, in the configured format, and the per-route metrics. */
@Timeout(30)
class HttpAccessLogTest {
    private final HttpBackend backend = HttpBackend.start("b1");
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    @TempDir
    Path dir;
    private DataPlane node;

    @AfterEach
    void stop() {
        node.close();
        backend.close();
    }

    private void start(String annotations) {
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());
        String script = """
                add server-group web timeout 500 period 1000 up 1 down 2 protocol none
                add server b1 to server-group web address %s
                add upstream u
                add server-group web to upstream u annotations {"fulcrum/hint-host":"www.a.com"}
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol http annotations %s
                """.formatted(backend.address(), port, annotations);
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
    }

    @Test
    void everyRequestIsOneLineInTheConfiguredFormat() throws IOException {
        Path log = dir.resolve("access.log");
        start("{\"fulcrum/http-access-log\":\"" + log + "\",\"fulcrum/http-access-log-format\":"
                + "\"$remote_addr $listener $host \\\"$request\\\" $status $bytes $upstream $group $server\"}");
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            assertEquals(200, client.get("www.a.com", "/one").status());
            assertEquals(200, client.get("www.a.com", "/two?x=\"y\"").status());
            assertEquals(404, client.get("nowhere", "/three").status());
        }
        Poll.until(Duration.ofSeconds(5), () -> lines(log).size() == 3, () -> "lines: " + lines(log));
        assertEquals(List.of(
                "127.0.0.1 lb0 www.a.com \"GET /one HTTP/1.1\" 200 2 " + backend.address() + " web b1",
                "127.0.0.1 lb0 www.a.com \"GET /two?x=\\x22y\\x22 HTTP/1.1\" 200 2 " + backend.address() + " web b1",
                "127.0.0.1 lb0 nowhere \"GET /three HTTP/1.1\" 404 0 - - -"), lines(log));
        assertEquals(3, Metrics.value(node.metrics(), "fulcrum_http_access_log_lines_total", "destination", log.toString()));
    }

    @Test
    void theAccessLogIsOffByDefaultAndMetricsCountPerRoute() throws IOException {
        start("{}");
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, client.get("www.a.com", "/").status());
            }
        }
        assertEquals(404, HttpClientConnection.get(lb, "b.com", "/").status());
        assertEquals(5, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "listener", "lb0", "group", "web",
                "code", "2xx"));
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "listener", "lb0", "group", "-",
                "code", "4xx"));
        assertEquals(5, Metrics.value(node.metrics(), "fulcrum_http_request_duration_seconds_count", "listener", "lb0",
                "group", "web"));
        assertEquals(5, Metrics.value(node.metrics(), "fulcrum_http_request_duration_seconds_bucket", "group", "web",
                "le", "+Inf"));
        assertFalse(Metrics.text(node.metrics()).contains("fulcrum_http_access_log_lines_total{"), "no writer, no series");
    }

    private static List<String> lines(Path log) {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
