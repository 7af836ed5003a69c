package io.fulcrum.dataplane.vip;

import io.fulcrum.config.schema.Vrrp;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.FleetNode;
import io.fulcrum.proto.v1.Vip;
import java.util.ArrayList;
import java.util.List;

/**
 * How a VIP's VRRP instance looks on one node, derived only from the config and the fleet the
 * control plane publishes, so every node derives the same priorities: the members are the fleet's
 * nodes the VIP's selector picks that reported an address for it, in node-id order; the member at
 * index i has rank (i + router id) mod n and priority {@value #TOP_PRIORITY} - rank. Rotating by the
 * router id makes each node master of a different VIP when several VIPs cover the same nodes
 * (active-active). A stale node's priority drops by {@value #STALE_PENALTY}, below every fresh one.
 */
public final class VrrpPlan {
    /** The priority of rank 0. */
    public static final int TOP_PRIORITY = 200;
    /** What staleness takes off: 200 - 99 - 100 = 1 is still a valid priority. */
    public static final int STALE_PENALTY = 100;
    /** The most nodes one VIP can have (so that every fresh priority stays above every stale one). */
    public static final int MAX_MEMBERS = 100;

    private VrrpPlan() {
    }

    /**
     * The instance for {@code vip} on node {@code self}, or why there is none yet.
     *
     * @param local where this node serves the VIP (its own address); null when it cannot
     * @param fleet the last fleet from the control plane; null before the first
     */
    public static Outcome plan(Vip vip, String self, LocalAddress local, Fleet fleet) {
        if (local == null) {
            return Outcome.none("no address of this node is on the VIP's subnet");
        }
        if (fleet == null) {
            return Outcome.none("waiting for the control plane's list of nodes");
        }
        List<FleetNode> members = members(vip, fleet);
        int index = indexOf(members, self);
        if (index < 0 || !members.get(index).getVipAddressesMap().get(vip.getName()).equals(local.address())) {
            return Outcome.none("waiting for the control plane to list this node with address " + local.address());
        }
        if (members.size() > MAX_MEMBERS) {
            return Outcome.none(members.size() + " nodes take part, at most " + MAX_MEMBERS + " can");
        }
        int rank = (index + vip.getRouterId()) % members.size();
        List<String> peers = new ArrayList<>();
        for (FleetNode member : members) {
            if (!member.getNodeId().equals(self)) {
                peers.add(member.getVipAddressesMap().get(vip.getName()));
            }
        }
        int advert = vip.getAdvertIntervalMs() == 0 ? Vrrp.DEFAULT_ADVERT_MS : vip.getAdvertIntervalMs();
        return new Outcome(new VrrpInstance(vip.getName(), vip.getAddress(), local.device(), vip.getRouterId(), advert,
                Vrrp.version(advert), vip.getPassword(), TOP_PRIORITY - rank, local.address(), peers), null);
    }

    /** The fleet's nodes that take part in {@code vip}, in the fleet's (node-id) order. */
    public static List<FleetNode> members(Vip vip, Fleet fleet) {
        return fleet.getNodesList().stream().filter(n -> Vrrp.selects(vip.getSelectorMap(), n.getLabelsMap()))
                .filter(n -> n.getVipAddressesMap().containsKey(vip.getName())).toList();
    }

    private static int indexOf(List<FleetNode> members, String self) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).getNodeId().equals(self)) {
                return i;
            }
        }
        return -1;
    }

    /** An instance, or the reason there is none (exactly one is non-null). */
    public record Outcome(VrrpInstance instance, String waiting) {
        static Outcome none(String why) {
            return new Outcome(null, why);
        }
    }
}
