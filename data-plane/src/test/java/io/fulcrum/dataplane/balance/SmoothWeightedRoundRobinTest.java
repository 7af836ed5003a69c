package io.fulcrum.dataplane.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SmoothWeightedRoundRobinTest {

    /** A Random whose every draw is 0: the cycle starts at its first step. */
    private static final class ZeroRandom extends Random {
        private static final long serialVersionUID = 1L;

        @Override
        public int nextInt(int bound) {
            return 0;
        }
    }

    @Test
    void cycleMatchesNginxDocumentedSequence() {
        // nginx's smooth wrr comment: weights { 5, 1, 1 } give { a, a, b, a, c, a, a }
        assertArrayEquals(new int[] {0, 0, 1, 0, 2, 0, 0}, SmoothWeightedRoundRobin.order(new int[] {5, 1, 1}));
    }

    @Test
    void weightsAreReducedByTheirGcd() {
        SmoothWeightedRoundRobin<FakeCandidate> wrr = new SmoothWeightedRoundRobin<>(
                candidates(10, 20, 30), new ZeroRandom());
        assertEquals(6, wrr.cycleLength());
    }

    @Test
    void equalWeightsGoRoundRobin() {
        List<FakeCandidate> servers = candidates(10, 10, 10);
        SmoothWeightedRoundRobin<FakeCandidate> wrr = new SmoothWeightedRoundRobin<>(servers, new ZeroRandom());
        assertEquals(List.of("s0", "s1", "s2", "s0", "s1", "s2"), names(wrr, 6));
    }

    @Test
    void oneCycleGivesEachServerExactlyItsWeight() {
        Map<String, Integer> counts = count(new SmoothWeightedRoundRobin<>(candidates(10, 20, 30), new Random(7)), 600);
        assertEquals(Map.of("s0", 100, "s1", 200, "s2", 300), counts);
    }

    @Test
    void weightZeroNeverPicked() {
        Map<String, Integer> counts = count(new SmoothWeightedRoundRobin<>(candidates(10, 0, 10), new Random(1)), 100);
        assertEquals(Map.of("s0", 50, "s2", 50), counts);
    }

    @Test
    void unavailableServersAreSkipped() {
        List<FakeCandidate> servers = candidates(10, 10, 10);
        servers.get(1).available = false;
        Map<String, Integer> counts = count(new SmoothWeightedRoundRobin<>(servers, new Random(3)), 300);
        assertEquals(Map.of("s0", 150, "s2", 150), counts, "the others share the skipped turns by weight");

        List<FakeCandidate> weighted = candidates(10, 40, 20, 30);
        weighted.get(1).available = false;
        assertEquals(Map.of("s0", 100, "s2", 200, "s3", 300),
                count(new SmoothWeightedRoundRobin<>(weighted, new Random(5)), 600));
    }

    @Test
    void nothingAvailableGivesNull() {
        List<FakeCandidate> servers = candidates(10, 10);
        servers.forEach(s -> s.available = false);
        assertNull(new SmoothWeightedRoundRobin<>(servers, new Random()).pick(null, List.of()));
        assertNull(new SmoothWeightedRoundRobin<>(candidates(0, 0), new Random()).pick(null, List.of()));
        assertNull(new SmoothWeightedRoundRobin<FakeCandidate>(List.of(), new Random()).pick(null, List.of()));
    }

    @Test
    void triedServersAreSkipped() {
        List<FakeCandidate> servers = candidates(10, 10);
        SmoothWeightedRoundRobin<FakeCandidate> wrr = new SmoothWeightedRoundRobin<>(servers, new Random());
        for (int i = 0; i < 10; i++) {
            assertEquals("s1", wrr.pick(null, List.of(servers.get(0))).toString());
        }
        assertNull(wrr.pick(null, servers));
    }

    @Test
    void startDependsOnTheNodesRandom() {
        List<FakeCandidate> servers = candidates(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        List<String> first = new ArrayList<>();
        for (int seed = 0; seed < 10; seed++) {
            first.add(new SmoothWeightedRoundRobin<>(servers, new Random(seed)).pick(null, List.of()).toString());
        }
        assertNotEquals(1, first.stream().distinct().count(), "every node would start on the same server");
        assertEquals(names(new SmoothWeightedRoundRobin<>(servers, new Random(42)), 20),
                names(new SmoothWeightedRoundRobin<>(servers, new Random(42)), 20));
    }

    @Test
    void onlineSteppingForHugeGroupsGivesTheSameSequence() {
        List<FakeCandidate> servers = candidates(5, 1, 1, 3);
        SmoothWeightedRoundRobin<FakeCandidate> precomputed = new SmoothWeightedRoundRobin<>(servers, new ZeroRandom());
        SmoothWeightedRoundRobin<FakeCandidate> online = new SmoothWeightedRoundRobin<>(servers, new ZeroRandom(), 1);
        assertEquals(0, online.cycleLength());
        assertEquals(names(precomputed, 50), names(online, 50));
    }

    static List<FakeCandidate> candidates(int... weights) {
        List<FakeCandidate> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(new FakeCandidate("s" + i, weights[i]));
        }
        return list;
    }

    private static List<String> names(Selector<FakeCandidate> selector, int picks) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            names.add(selector.pick(null, List.of()).toString());
        }
        return names;
    }

    private static Map<String, Integer> count(Selector<FakeCandidate> selector, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(selector.pick(null, List.of()).toString(), 1, Integer::sum);
        }
        return counts;
    }
}
