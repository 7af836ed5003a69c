package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.proto.v1.HealthState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The configuration of seed 004 (OpenResty picking a backend by Host, a tcp and an http health
 * check with interval 3, timeout 2, success 2, fail 3) translated to Fulcrum and served on
 * loopback, plus a wildcard host and a path prefix.
 */
@Timeout(120)
class Seed004Test {
    private static final long SLACK_MS = 1500;

    private final HttpBackend s10001 = HttpBackend.start("s10001");
    private final HttpBackend s10002 = HttpBackend.start("s10002");
    private final HttpBackend wild = HttpBackend.start("wild");
    private final HttpBackend api = HttpBackend.start("api");
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    private DataPlane node;

    /** The seed's JSON, line by line; the last two links are the wildcard host and the path prefix. */
    private String script() {
        return """
                add server-group backend1 timeout 2000 period 3000 up 2 down 3 protocol tcp
                add server s10001 to server-group backend1 address %s
                add server-group backend2 timeout 2000 period 3000 up 2 down 3 protocol http annotations {"fulcrum/hc-http-uri":"/ping"}
                add server s10001 to server-group backend2 address %s weight 10
                add server s10002 to server-group backend2 address %s weight 1
                add server-group wild timeout 2000 period 3000 up 2 down 3
                add server wild to server-group wild address %s
                add server-group api timeout 2000 period 3000 up 2 down 3
                add server api to server-group api address %s
                add upstream balancer
                add server-group backend1 to upstream balancer annotations {"fulcrum/hint-host":"www.test1.com"}
                add server-group backend2 to upstream balancer annotations {"fulcrum/hint-host":"www.test2.com"}
                add server-group wild to upstream balancer annotations {"fulcrum/hint-host":"*.test3.com"}
                add server-group api to upstream balancer annotations {"fulcrum/hint-host":"www.test1.com","fulcrum/hint-uri":"/api/"}
                add tcp-lb openresty address 127.0.0.1:%d upstream balancer protocol http
                """.formatted(s10001.address(), s10001.address(), s10002.address(), wild.address(), api.address(), port);
    }

    @BeforeEach
    void start() {
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).random(new Random(4)).build());
        assertTrue(node.apply(Scripts.config(script(), 1)).isApplied());
    }

    @AfterEach
    void stop() {
        node.close();
        s10001.close();
        s10002.close();
        wild.close();
        api.close();
    }

    @Test
    void eachHostReachesItsGroupWildcardAndPrefixRouteAndWeightsHold() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            assertEquals("s10001", client.get("www.test1.com", "/").text());
            assertEquals("s10001", client.get("WWW.TEST1.COM:80", "/index.html").text());
            assertEquals("api", client.get("www.test1.com", "/api/users").text());
            assertEquals("s10001", client.get("www.test1.com", "/apiary").text(), "a prefix is matched as written");
            assertEquals("wild", client.get("img.test3.com", "/").text());
            assertEquals("wild", client.get("a.b.test3.com", "/api/users").text());
            assertEquals(404, client.get("test3.com", "/").status());
        }
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            assertEquals(Map.of("s10001", 100, "s10002", 10), spread(client, "www.test2.com", 110),
                    "weights 10:1 within backend2, on one client connection");
        }
    }

    @Test
    void theTcpAndTheHttpCheckMarkServersDownAndUpAgain() throws IOException {
        awaitState("backend1", "s10001", HealthState.HEALTH_STATE_UP, Duration.ofSeconds(5));
        awaitState("backend2", "s10001", HealthState.HEALTH_STATE_UP, Duration.ofSeconds(5));
        assertTrue(s10001.received().isEmpty() && s10001.requests() > 0, "the http check asked /ping");

        s10001.stop();
        Duration down = Duration.ofMillis(2000 + 3000 * 3 + SLACK_MS);
        awaitState("backend1", "s10001", HealthState.HEALTH_STATE_DOWN, down);
        awaitState("backend2", "s10001", HealthState.HEALTH_STATE_DOWN, down);
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            assertEquals(Map.of("s10002", 11), spread(client, "www.test2.com", 11));
        }
        assertEquals(502, HttpClientConnection.get(lb, "www.test1.com", "/").status(), "backend1 has no server left");

        s10001.start();
        Duration up = Duration.ofMillis(3000 * 2 + 2000 + SLACK_MS);
        awaitState("backend1", "s10001", HealthState.HEALTH_STATE_UP, up);
        awaitState("backend2", "s10001", HealthState.HEALTH_STATE_UP, up);
        assertEquals("s10001", HttpClientConnection.get(lb, "www.test1.com", "/").text());
    }

    private Map<String, Integer> spread(HttpClientConnection client, String host, int requests) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            counts.merge(client.get(host, "/").text(), 1, Integer::sum);
        }
        return counts;
    }

    private void awaitState(String group, String server, HealthState state, Duration within) {
        Poll.until(within, () -> node.health().find(group, server).map(h -> h.getState() == state).orElse(false),
                () -> group + "/" + server + " " + state + ", now " + node.health().find(group, server));
    }
}
