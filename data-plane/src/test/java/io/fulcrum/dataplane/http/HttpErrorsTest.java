package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.Descriptors;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.proto.v1.HealthState;
import java.time.Duration;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures a client can read: 502, 504, 400, 404, 413, each on a connection that then closes. */
@Timeout(30)
class HttpErrorsTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpBackend backend = HttpBackend.start("b1", (request, index) -> switch (request.uri()) {
        case "/hang" -> {
            await(release);
            yield HttpBackend.Response.ok("late");
        }
        case "/drop" -> null;
        case "/garbage" -> new HttpBackend.Response(200, java.util.List.of(new io.fulcrum.dataplane.testing.HttpWire.Header(
                "Content-Length", "nope")), new byte[0], 0, false, true, false);
        default -> HttpBackend.Response.ok("b1");
    });
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    private DataPlane node;

    private void start(String servers, String annotations) {
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());
        String script = """
                add server-group g timeout 300 period 60000 up 1 down 1
                %s
                add upstream u
                add server-group g to upstream u annotations {"fulcrum/hint-host":"a"}
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol http annotations %s
                """.formatted(servers, port, annotations);
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
    }

    private void startWithBackend(String annotations) {
        start("add server b1 to server-group g address " + backend.address(), annotations);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (node != null) {
            node.close();
        }
        backend.close();
    }

    @Test
    void noServerIs502() throws IOException {
        start("", "{}");
        assertAnswerAndClose(502, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_listener_unserved_total", "listener", "lb0"));
    }

    @Test
    void aServerThatRefusesConnectionsIs502AndCountsAsAFailedCheck() throws IOException {
        startWithBackend("{}");
        Poll.until(Duration.ofSeconds(5), () -> state() == HealthState.HEALTH_STATE_UP, () -> "b1 " + state());
        backend.stop();
        long sockets = Descriptors.sockets();
        assertAnswerAndClose(502, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_connect_failures_total", "server", "b1"));
        assertEquals(HealthState.HEALTH_STATE_DOWN, state(), "down 1: one failed connect marks it DOWN");
        // the refused attempt's socket is closed too
        Poll.until(Duration.ofSeconds(5), () -> Descriptors.sockets() <= sockets,
                () -> "sockets open: " + Descriptors.sockets() + ", before the request: " + sockets);
    }

    private HealthState state() {
        return node.health().find("g", "b1").map(h -> h.getState()).orElse(HealthState.HEALTH_STATE_UNKNOWN);
    }

    @Test
    void aServerThatClosesOrAnswersGarbageBeforeAResponseIs502() throws IOException {
        startWithBackend("{}");
        assertAnswerAndClose(502, "GET /drop HTTP/1.1\r\nHost: a\r\n\r\n");
        assertAnswerAndClose(502, "GET /garbage HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "g", "code", "5xx"));
    }

    @Test
    void noResponseInTimeIs504() throws IOException {
        startWithBackend("{\"fulcrum/http-response-timeout\":\"300\"}");
        long start = System.nanoTime();
        assertAnswerAndClose(504, "GET /hang HTTP/1.1\r\nHost: a\r\n\r\n");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs >= 250 && tookMs < 3000, "took " + tookMs + " ms");
    }

    @Test
    void malformedIs400NoRouteIs404TooLargeIs413() throws IOException {
        startWithBackend("{\"fulcrum/http-max-body-size\":\"10\"}");
        assertAnswerAndClose(400, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertAnswerAndClose(404, "GET / HTTP/1.1\r\nHost: elsewhere\r\n\r\n");
        assertAnswerAndClose(413, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
        assertAnswerAndClose(413, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n");
        assertAnswerAndClose(405, "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(0, backend.received().size(), "nothing was forwarded");
        assertEquals("b1", HttpClientConnection.get(lb, "a", "/").text());
        assertEquals(5, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "-", "code", "4xx"),
                "all answered before a group was chosen (the chunked body passed its limit before a server was asked)");
    }

    @Test
    void aContentLengthThatIsNotANumberOrOverflowsIs400() throws IOException {
        startWithBackend("{}");
        for (String length : List.of("abc", "99999999999999999999", "-1", "+5", "1 2", "5,6", "0x10", "")) {
            assertAnswerAndClose(400, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\nhello");
        }
        assertEquals(0, backend.received().size(), "nothing was forwarded");
    }

    @Test
    void aRejectedHeadRequestGetsNoBody() throws IOException {
        startWithBackend("{}");
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response response = client.send("HEAD / HTTP/1.1\r\nHost: elsewhere\r\n\r\n").read(true);
            assertEquals(404, response.status());
            assertTrue(client.closedByPeer(), "nothing after the headers, then the connection closes");
        }
    }

    @Test
    void aRequestHeadSentByteByByteIs408AfterTheRequestTimeoutEvenThoughEveryByteIsOnTime() throws Exception {
        startWithBackend("{\"fulcrum/http-request-timeout\":\"600\"}");
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            long start = System.nanoTime();
            // slowloris: a byte every 100 ms keeps the idle timeout from ever firing
            String head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: 0123456789012345678901234567890123456789\r\n";
            HttpClientConnection.Response response = null;
            for (int i = 0; i < head.length() && response == null; i++) {
                try {
                    client.send(head.substring(i, i + 1));
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (client.input().available() > 0) {
                    response = client.read();
                }
            }
            if (response == null) {
                response = client.read();
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(408, response.status());
            assertEquals("close", response.header("Connection"));
            assertTrue(tookMs >= 550 && tookMs < 5000, "took " + tookMs + " ms");
            assertTrue(client.closedByPeer());
        }
        assertEquals(0, backend.received().size(), "nothing was forwarded");
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "-", "code", "4xx"));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswerAndAKeptAliveOneWaitsForItsNextRequest() throws Exception {
        startWithBackend("{\"fulcrum/http-request-timeout\":\"300\"}");
        try (HttpClientConnection silent = new HttpClientConnection(lb)) {
            long start = System.nanoTime();
            assertEquals(-1, silent.input().read(), "closed without a response");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= 250 && tookMs < 5000, "took " + tookMs + " ms");
        }
        try (HttpClientConnection kept = new HttpClientConnection(lb)) {
            assertEquals("b1", kept.get("a", "/").text());
            // between requests only the idle timeout counts: the next request may come later
            Thread.sleep(600);
            assertEquals("b1", kept.get("a", "/").text());
        }
        assertEquals(0, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "-", "code", "4xx"));
    }

    private void assertAnswerAndClose(int status, String request) throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response response = client.send(request).read();
            assertEquals(status, response.status(), request);
            assertEquals("close", response.header("Connection"));
            assertTrue(response.text().startsWith(status + " "), response.text());
            assertTrue(client.closedByPeer(), "the connection closes after " + status);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
