package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import io.fulcrum.dataplane.testing.HttpWire;
import io.fulcrum.dataplane.testing.Poll;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten thousand malformed requests: every one is answered 400 or its connection closed, none
 * reaches the server, and the node keeps serving.
 */
@Timeout(180)
class HttpFuzzTest {
    private static final int REQUESTS = 10_000;
    private static final int THREADS = 4;

    private final HttpBackend backend = HttpBackend.start("b1");
    private final HttpLoadBalancer balancer = HttpLoadBalancer.start(backend,
            DataPlaneOptions.builder("dp1").workerLoops(2).adminAddress(new InetSocketAddress("127.0.0.1", 0)).build());
    private final InetSocketAddress lb = balancer.address();
    private final DataPlane node = balancer.node();

    @AfterEach
    void stop() {
        balancer.close();
        backend.close();
    }

    @Test
    void malformedRequestsAreRefusedAndNeverForwarded() throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            MalformedRequests generator = new MalformedRequests(new Random(1000 + t));
            counts.add(threads.submit(() -> {
                int sent = 0;
                for (int i = 0; i < REQUESTS / THREADS; i++) {
                    MalformedRequests.Case next = generator.next();
                    String outcome = send(next);
                    if (outcome != null) {
                        wrong.add(outcome + " <- " + next);
                    }
                    sent++;
                }
                return sent;
            }));
        }
        int sent = 0;
        for (Future<Integer> count : counts) {
            sent += count.get();
        }
        threads.shutdown();
        assertEquals(REQUESTS, sent);
        assertTrue(wrong.isEmpty(), wrong.size() + " requests not refused, e.g. " + wrong.stream().limit(5).toList());
        assertEquals(0, backend.requests(), "malformed requests reached the server: " + backend.received().stream()
                .limit(3).map(r -> r.method() + " " + r.uri() + " " + r.headers()).toList());

        assertEquals("b1", HttpClientConnection.get(lb, "a", "/").text(), "a valid request is still served");
        assertEquals(200, adminStatus("/healthz"));
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, () -> "open: " + node.openConnections());
    }

    /** Null when {@code request} was refused properly (400 then closed, or closed), else what happened. */
    private String send(MalformedRequests.Case request) {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            client.socket().setSoTimeout(3000);
            client.send(request.bytes());
            String status = HttpWire.line(client.input());
            if (status != null && !status.startsWith("HTTP/1.1 400 ")) {
                return status;
            }
            client.input().readAllBytes();
            return null;
        } catch (IOException e) {
            return e.getMessage() != null && (e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe"))
                    ? null : e.toString();
        }
    }

    private int adminStatus(String path) throws IOException {
        InetSocketAddress admin = node.adminAddress().orElseThrow();
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + admin.getPort() + path)
                .toURL().openConnection();
        try {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }
}
