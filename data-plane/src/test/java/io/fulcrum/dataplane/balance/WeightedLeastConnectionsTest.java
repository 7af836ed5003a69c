package io.fulcrum.dataplane.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WeightedLeastConnectionsTest {

    @Test
    void picksTheLeastLoadedRelativeToWeight() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10);
        servers.get(0).active = 5;
        servers.get(1).active = 2;
        servers.get(2).active = 7;
        WeightedLeastConnections<FakeCandidate> wlc = new WeightedLeastConnections<>(servers);
        assertEquals("s1", wlc.pick(null, List.of()).toString());

        servers.get(0).active = 0;
        assertEquals("s0", wlc.pick(null, List.of()).toString());
    }

    @Test
    void heavierServersCarryProportionallyMoreConnections() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 20, 30);
        WeightedLeastConnections<FakeCandidate> wlc = new WeightedLeastConnections<>(servers);
        // connections that never close: the open counts settle at the weight ratio
        for (int i = 0; i < 600; i++) {
            wlc.pick(null, List.of()).active++;
        }
        assertEquals(100, servers.get(0).active, 1);
        assertEquals(200, servers.get(1).active, 1);
        assertEquals(300, servers.get(2).active, 1);
    }

    @Test
    void tiesGoRoundRobin() {
        WeightedLeastConnections<FakeCandidate> wlc = new WeightedLeastConnections<>(
                SmoothWeightedRoundRobinTest.candidates(10, 10, 10));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(wlc.pick(null, List.of()).toString(), 1, Integer::sum);
        }
        assertEquals(Map.of("s0", 10, "s1", 10, "s2", 10), counts);
    }

    @Test
    void skipsUnavailableTriedAndWeightZero() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 0, 10, 10);
        servers.get(2).available = false;
        servers.get(0).active = 100;
        WeightedLeastConnections<FakeCandidate> wlc = new WeightedLeastConnections<>(servers);
        assertEquals("s3", wlc.pick(null, List.of()).toString());
        assertEquals("s0", wlc.pick(null, List.of(servers.get(3))).toString());
        assertNull(wlc.pick(null, List.of(servers.get(0), servers.get(3))));
    }
}
