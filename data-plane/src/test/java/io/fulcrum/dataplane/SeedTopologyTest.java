package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.proto.v1.HealthState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed-000 walkthrough on loopback with three real backends: timeout 500, period 1000,
 * up 2, down 3, wrr.
 */
@Timeout(60)
class SeedTopologyTest {
    private static final long SLACK_MS = 1000;

    private final List<NamedServer> backends = List.of(
            NamedServer.start("backend1"), NamedServer.start("backend2"), NamedServer.start("backend3"));
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    private DataPlane node;

    @BeforeEach
    void start() {
        node = DataPlane.start(DataPlaneOptions.builder("dp1").random(new Random(1)).build());
    }

    @AfterEach
    void stop() {
        node.close();
        backends.forEach(NamedServer::close);
    }

    @Test
    void wrrSpreadsOneToOneToOneAndFollowsChangedWeights() {
        apply(Scripts.seed(port, backends, 10, 10, 10), 1);
        awaitState("backend1", HealthState.HEALTH_STATE_UP, Duration.ofSeconds(5));
        assertEquals(Map.of("backend1", 100, "backend2", 100, "backend3", 100), spread(300));

        apply(Scripts.seed(port, backends, 10, 20, 30), 2);
        assertEquals(Map.of("backend1", 100, "backend2", 200, "backend3", 300), spread(600));

        apply(Scripts.seed(port, backends, 10, 0, 10), 3);
        assertEquals(Map.of("backend1", 50, "backend3", 50), spread(100), "weight 0 takes no new connection");
    }

    @Test
    void stoppedBackendIsDownInTimeAndServedAgainAfterRestart() {
        apply(Scripts.seed(port, backends, 10, 10, 10), 1);
        for (NamedServer backend : backends) {
            awaitState(backend.name(), HealthState.HEALTH_STATE_UP, Duration.ofSeconds(5));
        }

        backends.get(1).stop();
        // timeout + period × down
        Duration down = awaitState("backend2", HealthState.HEALTH_STATE_DOWN, Duration.ofMillis(500 + 1000 * 3 + SLACK_MS));
        assertTrue(down.toMillis() >= 2000 - 50, "three failures, a period apart, took only " + down.toMillis() + " ms");
        assertEquals("connect refused", node.health().find("ngx", "backend2").orElseThrow().getReason());

        double failuresBefore = connectFailures("backend2");
        Map<String, Integer> spread = spread(60);
        assertEquals(Map.of("backend1", 30, "backend3", 30), spread);
        assertEquals(failuresBefore, connectFailures("backend2"), "a DOWN server got a connection attempt");

        backends.get(1).start();
        // period × up, plus one timeout
        awaitState("backend2", HealthState.HEALTH_STATE_UP, Duration.ofMillis(1000 * 2 + 500 + SLACK_MS));
        assertEquals(Map.of("backend1", 20, "backend2", 20, "backend3", 20), spread(60));
    }

    private void apply(String script, long version) {
        ApplyResult result = node.apply(Scripts.config(script, version));
        assertTrue(result.isApplied(), result::toString);
    }

    private Duration awaitState(String server, HealthState state, Duration within) {
        return Poll.until(within, () -> node.health().find("ngx", server).map(h -> h.getState() == state).orElse(false),
                () -> server + " " + state + ", now " + node.health().find("ngx", server));
    }

    private Map<String, Integer> spread(int connections) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < connections; i++) {
            counts.merge(LineClient.whoAnswers(lb), 1, Integer::sum);
        }
        return counts;
    }

    private double connectFailures(String server) {
        double value = Metrics.value(node.metrics(), "fulcrum_connect_failures_total", "server", server);
        return Double.isNaN(value) ? 0 : value;
    }
}
