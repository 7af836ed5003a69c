package io.fulcrum.controlplane.sync;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.FleetNode;
import io.fulcrum.proto.v1.VipStatus;
import java.util.Map;

/**
 * The {@link Fleet} a member sends its data planes while the config has VIPs: every known node
 * (disconnected ones too, until forgotten, so that a dead node does not change the others' VRRP
 * membership), in the order of {@code nodes} (node ids, sorted), with the address each reported for each VIP. Built from the
 * replicated observed state only, so every member builds the same fleet. Stateless.
 */
final class FleetView {
    private FleetView() {
    }

    /** The fleet, or null when the config has no VIP (nothing to send). */
    static Fleet of(ConfigModel model, Map<String, NodeObservation> nodes) {
        if (model.list(Kind.VIP).isEmpty()) {
            return null;
        }
        Fleet.Builder fleet = Fleet.newBuilder();
        for (NodeObservation node : nodes.values()) {
            FleetNode.Builder entry = FleetNode.newBuilder().setNodeId(node.getNodeId()).putAllLabels(node.getLabelsMap())
                    .setAppliedClusterId(node.getAppliedClusterId()).setAppliedVersion(node.getAppliedVersion())
                    .setConnected(node.getConnected());
            for (VipStatus vip : node.getVipsList()) {
                if (!vip.getNodeAddress().isEmpty()) {
                    entry.putVipAddresses(vip.getVip(), vip.getNodeAddress());
                }
            }
            fleet.addNodes(entry);
        }
        return fleet.build();
    }
}
