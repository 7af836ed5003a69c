package io.fulcrum.dataplane.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fulcrum.proto.v1.BalanceMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A ramping server takes its ramp factor times the share its weight gives it, under wrr and wlc. */
@Timeout(30)
class SlowStartTest {
    private static final int PICKS = 40_000;

    private static Map<FakeCandidate, Integer> shares(Selector<FakeCandidate> selector) {
        Map<FakeCandidate, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(selector.pick(null, Set.of()), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void underWrrARampingServerTakesItsFactorOfItsShare() {
        FakeCandidate a = new FakeCandidate("a", 10);
        FakeCandidate b = new FakeCandidate("b", 10);
        FakeCandidate c = new FakeCandidate("c", 20);
        c.ramp = 0.5;
        Selector<FakeCandidate> selector = Selector.of(BalanceMethod.BALANCE_METHOD_WRR, List.of(a, b, c), new Random(1), true);
        Map<FakeCandidate, Integer> counts = shares(selector);
        // c's full share is 50 %; at half ramp it takes about 25 % (wrr's cycle is not random: the
        // turns c hands on shift it, measured 25-27 %), the rest is split by weight
        assertEquals(0.25, counts.get(c) / (double) PICKS, 0.04, counts.toString());
        assertEquals(counts.get(a), counts.get(b), PICKS * 0.01, counts.toString());
        c.ramp = 1.0;
        assertEquals(0.5, shares(selector).get(c) / (double) PICKS, 0.01, "the ramp is over: the full share");
    }

    @Test
    void withoutSlowStartTheFactorIsIgnoredAndWrrKeepsItsExactCycle() {
        FakeCandidate a = new FakeCandidate("a", 1);
        FakeCandidate b = new FakeCandidate("b", 1);
        b.ramp = 0.1;
        Selector<FakeCandidate> selector = Selector.of(BalanceMethod.BALANCE_METHOD_WRR, List.of(a, b), new Random(1), false);
        assertEquals(PICKS / 2, shares(selector).get(b));
    }

    @Test
    void aRampNeverRefusesAClientWhenOnlyRampingServersAreLeft() {
        FakeCandidate a = new FakeCandidate("a", 10);
        FakeCandidate b = new FakeCandidate("b", 10);
        a.available = false;
        b.ramp = 0.1;
        Selector<FakeCandidate> selector = Selector.of(BalanceMethod.BALANCE_METHOD_WRR, List.of(a, b), new Random(1), true);
        for (int i = 0; i < 1000; i++) {
            assertSame(b, selector.pick(null, Set.of()));
        }
    }

    @Test
    void underWlcARampingServerCountsWithItsRampedWeight() {
        FakeCandidate a = new FakeCandidate("a", 10);
        FakeCandidate b = new FakeCandidate("b", 10);
        a.active = 4;
        b.active = 1;
        Selector<FakeCandidate> selector = Selector.of(BalanceMethod.BALANCE_METHOD_WLC, List.of(a, b), new Random(1), true);
        assertSame(b, selector.pick(null, Set.of()), "(1+1)/10 < (4+1)/10");
        b.ramp = 0.25;
        // b: (1+1)/2.5 = 0.8 > a: (4+1)/10 = 0.5
        assertSame(a, selector.pick(null, Set.of()));
        b.ramp = 0.5;
        // b: 2/5 = 0.4 < 0.5
        assertSame(b, selector.pick(null, Set.of()));
    }
}
