package io.fulcrum.dataplane.vip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.Vip;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node is stale once another member of the VIP has been ahead of it for the grace time. */
@Timeout(10)
class StalenessTest {
    private static final Vip VIP = Vip.newBuilder().setName("v").setAddress("10.0.0.50/24").setRouterId(1).build();

    @Test
    void behindForTheGraceTimeIsStaleAndCatchingUpEndsIt() {
        Staleness staleness = new Staleness(1000);
        Config mine = Config.newBuilder().setClusterId("c").setVersion(5).build();
        Fleet ahead = VrrpPlanTest.fleet(VrrpPlanTest.node("me", "10.0.0.11", Map.of()),
                VrrpPlanTest.node("other", "10.0.0.12", Map.of()).toBuilder().setAppliedVersion(6).build());
        assertFalse(staleness.stale(VIP, "me", mine, ahead, 10_000), "a push reaches the nodes some ms apart");
        assertFalse(staleness.stale(VIP, "me", mine, ahead, 10_999));
        assertTrue(staleness.stale(VIP, "me", mine, ahead, 11_000));
        assertFalse(staleness.stale(VIP, "me", mine.toBuilder().setVersion(6).build(), ahead, 11_100));
        assertFalse(staleness.stale(VIP, "me", mine, ahead, 11_200), "the grace starts again");
    }

    @Test
    void withNoNewsNobodyIsStale() {
        Staleness staleness = new Staleness(0);
        Config mine = Config.newBuilder().setClusterId("c").setVersion(5).build();
        assertFalse(staleness.stale(VIP, "me", mine, null, 0), "no fleet yet");
        Fleet otherCluster = VrrpPlanTest.fleet(VrrpPlanTest.node("other", "10.0.0.12", Map.of()).toBuilder()
                .setAppliedClusterId("another").setAppliedVersion(99).build());
        assertFalse(staleness.stale(VIP, "me", mine, otherCluster, 0), "versions of another cluster do not compare");
    }
}
