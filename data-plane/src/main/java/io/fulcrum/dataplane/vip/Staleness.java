package io.fulcrum.dataplane.vip;

import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.FleetNode;
import io.fulcrum.proto.v1.Vip;
import java.util.HashMap;
import java.util.Map;

/**
 * Whether this node is stale for a VIP: another member of the VIP has applied a newer version of
 * the same cluster's config than this node (it NACKed that version, or it has not got it), and has
 * been ahead for at least the grace time (configs reach the nodes some milliseconds apart; without
 * the grace every push would tug at the priorities). When the control plane is down nobody's
 * version moves, so nobody becomes stale and the VIP stays where it is. Not thread-safe: one owner.
 */
final class Staleness {
    private final long graceMillis;
    private final Map<String, Long> behindSince = new HashMap<>();

    Staleness(long graceMillis) {
        this.graceMillis = graceMillis;
    }

    boolean stale(Vip vip, String self, Config applied, Fleet fleet, long now) {
        boolean behind = fleet != null && VrrpPlan.members(vip, fleet).stream().anyMatch(m -> isAhead(m, self, applied));
        if (!behind) {
            behindSince.remove(vip.getName());
            return false;
        }
        long since = behindSince.computeIfAbsent(vip.getName(), v -> now);
        return now - since >= graceMillis;
    }

    private static boolean isAhead(FleetNode member, String self, Config applied) {
        return !member.getNodeId().equals(self) && member.getAppliedClusterId().equals(applied.getClusterId())
                && member.getAppliedVersion() > applied.getVersion();
    }
}
