package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server connections are reused under keep-alive load, bounded, aged out, and retried once when a reused one fails. */
@Timeout(60)
class HttpPoolTest {
    private final List<HttpBackend> backends = new ArrayList<>();
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    private DataPlane node;

    private void start(int workerLoops, String annotations, HttpBackend... servers) {
        backends.addAll(List.of(servers));
        StringBuilder script = new StringBuilder("add server-group g timeout 500 period 1000 up 1 down 2 protocol none\n");
        for (HttpBackend server : servers) {
            script.append("add server ").append(server.name()).append(" to server-group g address ")
                    .append(server.address()).append('\n');
        }
        script.append("add upstream u\nadd server-group g to upstream u\n")
                .append("add tcp-lb lb0 address 127.0.0.1:").append(port).append(" upstream u protocol http annotations ")
                .append(annotations).append('\n');
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(workerLoops).build());
        assertTrue(node.apply(Scripts.config(script.toString(), 1)).isApplied());
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        backends.forEach(HttpBackend::close);
    }

    @Test
    void keepAliveClientsReuseServerConnections() throws Exception {
        start(2, "{}", HttpBackend.start("b1"), HttpBackend.start("b2"));
        int clients = 4;
        int requestsEach = 250;
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(threads.submit(() -> {
                int ok = 0;
                try (HttpClientConnection client = new HttpClientConnection(lb)) {
                    for (int i = 0; i < requestsEach; i++) {
                        ok += client.get("a", "/").status() == 200 ? 1 : 0;
                    }
                }
                return ok;
            }));
        }
        for (Future<Integer> ok : done) {
            assertEquals(requestsEach, ok.get());
        }
        threads.shutdown();
        int requests = backends.stream().mapToInt(HttpBackend::requests).sum();
        assertEquals(clients * requestsEach, requests);
        for (HttpBackend backend : backends) {
            assertTrue(backend.accepted() <= clients, backend.name() + " accepted " + backend.accepted()
                    + " connections for " + backend.requests() + " requests on " + clients + " client connections");
        }
        assertTrue(Metrics.value(node.metrics(), "fulcrum_http_pool_idle_connections") >= 1);
    }

    @Test
    void connectionCloseClientsStillReuseServerConnections() throws IOException {
        start(1, "{}", HttpBackend.start("b1"));
        for (int i = 0; i < 100; i++) {
            try (HttpClientConnection client = new HttpClientConnection(lb)) {
                HttpClientConnection.Response response =
                        client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").read();
                assertEquals("close", response.header("Connection"));
                assertTrue(client.closedByPeer());
            }
        }
        assertEquals(100, backends.get(0).requests());
        assertEquals(1, backends.get(0).accepted());
    }

    @Test
    void idleConnectionsAreBoundedPerServerAndAgeOut() throws Exception {
        HttpBackend slow = HttpBackend.start("slow", (request, index) -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300)); // a server that takes its time to answer
            return HttpBackend.Response.ok("slow");
        });
        start(1, "{\"fulcrum/http-pool-idle-per-server\":\"2\",\"fulcrum/http-pool-idle-timeout\":\"1000\"}", slow);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(threads.submit(() -> HttpClientConnection.get(lb, "a", "/").status()));
        }
        for (Future<Integer> status : statuses) {
            assertEquals(200, status.get());
        }
        threads.shutdown();
        assertEquals(8, slow.accepted(), "eight requests at once need eight connections");
        Poll.until(Duration.ofSeconds(2), () -> slow.openConnections() == 2, () -> "open: " + slow.openConnections());
        Poll.until(Duration.ofSeconds(3), () -> slow.openConnections() == 0, () -> "open: " + slow.openConnections());
    }

    @Test
    void aRequestWithoutBodyIsRetriedOnceWhenAReusedConnectionFails() throws IOException {
        // the server drops every second request of a connection without answering, as a server
        // closing an idle keep-alive connection at the wrong moment does
        HttpBackend flaky = HttpBackend.start("flaky", (request, index) -> index == 2 ? null : HttpBackend.Response.ok("ok"));
        start(1, "{}", flaky);
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, client.get("a", "/").status());
            }
            assertEquals(502, client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody").read().status(),
                    "a request with a body is not sent twice");
        }
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "g", "code", "5xx"));
    }

    @Test
    void aServerThatSaysCloseIsNotReused() throws IOException {
        HttpBackend closing = HttpBackend.start("closing", (request, index) ->
                new HttpBackend.Response(200, List.of(), "bye".getBytes(), 0, false, false, true));
        start(1, "{}", closing);
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            for (int i = 0; i < 5; i++) {
                HttpClientConnection.Response response = client.get("a", "/");
                assertEquals("bye", response.text());
                assertEquals(null, response.header("Connection"), "the client connection stays open");
            }
        }
        assertEquals(5, closing.accepted());
    }
}
