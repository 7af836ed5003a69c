package io.fulcrum.dataplane.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fulcrum.proto.v1.BalanceMethod;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PriorityTiersTest {

    private static List<FakeCandidate> tiers() {
        List<FakeCandidate> servers = SmoothWeightedRoundRobinTest.candidates(10, 10, 10, 10);
        servers.get(0).priority = 1;
        servers.get(1).priority = 1;
        servers.get(2).priority = 2;
        servers.get(3).priority = 3;
        return servers;
    }

    private static Set<String> picked(Selector<FakeCandidate> selector, int times) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < times; i++) {
            FakeCandidate candidate = selector.pick(null, List.of());
            names.add(String.valueOf(candidate));
        }
        return names;
    }

    @Test
    void theLowestPriorityServesAndBackupsOnlyWhenNoneOfItIsAvailable() {
        for (BalanceMethod method : List.of(BalanceMethod.BALANCE_METHOD_WRR, BalanceMethod.BALANCE_METHOD_WLC,
                BalanceMethod.BALANCE_METHOD_SOURCE)) {
            List<FakeCandidate> servers = tiers();
            Selector<FakeCandidate> selector = Selector.of(method, servers, new Random(1));
            if (method == BalanceMethod.BALANCE_METHOD_SOURCE) {
                assertEquals(0, servers.indexOf(selector.pick(null, List.of())) / 2, method.name());
            } else {
                assertEquals(Set.of("s0", "s1"), picked(selector, 20), method.name());
            }
            servers.get(0).available = false;
            assertEquals(Set.of("s1"), picked(selector, 20), method.name());
            servers.get(1).available = false;
            assertEquals(Set.of("s2"), picked(selector, 20), method.name());
            servers.get(2).available = false;
            assertEquals(Set.of("s3"), picked(selector, 20), method.name());
            servers.get(3).available = false;
            assertNull(selector.pick(null, List.of()), method.name());
            servers.get(0).available = true;
            assertEquals(Set.of("s0"), picked(selector, 20), method.name());
        }
    }

    @Test
    void aTriedPrimaryFallsBackToTheNextTier() {
        List<FakeCandidate> servers = tiers();
        Selector<FakeCandidate> selector = Selector.of(BalanceMethod.BALANCE_METHOD_WRR, servers, new Random(1));
        assertEquals("s2", selector.pick(null, List.of(servers.get(0), servers.get(1))).toString());
        assertEquals(servers, selector.candidates());
    }
}
