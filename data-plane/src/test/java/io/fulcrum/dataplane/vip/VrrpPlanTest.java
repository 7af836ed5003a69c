package io.fulcrum.dataplane.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.FleetNode;
import io.fulcrum.proto.v1.Vip;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Priorities and peers come from the fleet alone, the same on every node, rotated per router id. */
@Timeout(10)
class VrrpPlanTest {
    private static final Vip VIP = Vip.newBuilder().setName("v").setAddress("10.0.0.50/24").setRouterId(50)
            .setAdvertIntervalMs(1000).build();

    @Test
    void everyNodeDerivesTheSamePrioritiesAndOnlyItsPeers() {
        Fleet fleet = fleet(node("dp1", "10.0.0.11", Map.of()), node("dp2", "10.0.0.12", Map.of()), node("dp3", "10.0.0.13", Map.of()));
        VrrpInstance one = plan(VIP, "dp1", "10.0.0.11", fleet);
        VrrpInstance two = plan(VIP, "dp2", "10.0.0.12", fleet);
        VrrpInstance three = plan(VIP, "dp3", "10.0.0.13", fleet);
        // rank = (index + router id) mod 3: dp1 (0+50)%3=2, dp2 0, dp3 1
        assertEquals(List.of(198, 200, 199), List.of(one.priority(), two.priority(), three.priority()));
        assertEquals(List.of("10.0.0.12", "10.0.0.13"), one.peers());
        assertEquals(List.of("10.0.0.11", "10.0.0.13"), two.peers());
        assertEquals("10.0.0.11", one.source());
        assertEquals(2, one.version());
    }

    @Test
    void twoVipsOverTwoNodesHaveDifferentMasters() {
        Fleet fleet = fleet(node("a", "10.0.0.11", Map.of()), node("b", "10.0.0.12", Map.of()));
        Vip first = VIP.toBuilder().setName("x").setRouterId(61).build();
        Vip second = VIP.toBuilder().setName("y").setRouterId(62).build();
        assertEquals(200, plan(first, "b", "10.0.0.12", fleet).priority());
        assertEquals(200, plan(second, "a", "10.0.0.11", fleet).priority());
    }

    @Test
    void theSelectorPicksTheMembersAndSubSecondAdvertsAreVrrpV3() {
        Vip edge = VIP.toBuilder().putSelector("role", "edge").setAdvertIntervalMs(100).build();
        Fleet fleet = fleet(node("dp1", "10.0.0.11", Map.of("role", "edge")), node("dp2", "10.0.0.12", Map.of("role", "core")),
                node("dp3", "10.0.0.13", Map.of("role", "edge", "zone", "a")));
        VrrpInstance one = plan(edge, "dp1", "10.0.0.11", fleet);
        assertEquals(List.of("10.0.0.13"), one.peers());
        assertEquals(3, one.version());
        assertEquals(100, one.advertMs());
    }

    @Test
    void aNodeWaitsUntilTheFleetListsItWithItsAddress() {
        Fleet without = fleet(node("dp2", "10.0.0.12", Map.of()));
        LocalAddress local = new LocalAddress("e0", "10.0.0.11");
        assertTrue(VrrpPlan.plan(VIP, "dp1", local, null).waiting().contains("control plane's list"));
        assertTrue(VrrpPlan.plan(VIP, "dp1", local, without).waiting().contains("10.0.0.11"));
        assertTrue(VrrpPlan.plan(VIP, "dp1", local, fleet(node("dp1", "10.0.0.99", Map.of()))).waiting().contains("10.0.0.11"));
        assertNull(VrrpPlan.plan(VIP, "dp1", null, without).instance());
    }

    private static VrrpInstance plan(Vip vip, String self, String address, Fleet fleet) {
        return VrrpPlan.plan(vip, self, new LocalAddress("e0", address), fleet).instance();
    }

    static FleetNode node(String id, String address, Map<String, String> labels) {
        return FleetNode.newBuilder().setNodeId(id).putAllLabels(labels).putVipAddresses("v", address).putVipAddresses("x", address)
                .putVipAddresses("y", address).setAppliedClusterId("c").setAppliedVersion(5).setConnected(true).build();
    }

    static Fleet fleet(FleetNode... nodes) {
        return Fleet.newBuilder().addAllNodes(List.of(nodes)).build();
    }
}
