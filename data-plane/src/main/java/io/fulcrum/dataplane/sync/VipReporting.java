package io.fulcrum.dataplane.sync;

import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.VipStatus;
import java.util.List;

/**
 * The VIP side of the sync stream: the fleet the control plane sends goes in, the node's VRRP
 * roles go out with every heartbeat. Called on the sync client's thread; must return at once.
 */
public interface VipReporting {
    /** A node without VIP supervision: ignores the fleet, reports no roles. */
    VipReporting NONE = new VipReporting() {
        @Override
        public void fleet(Fleet fleet) {
        }

        @Override
        public List<VipStatus> statuses() {
            return List.of();
        }
    };

    /** The control plane's latest fleet. */
    void fleet(Fleet fleet);

    /** The node's role for each VIP it takes part in. */
    List<VipStatus> statuses();
}
