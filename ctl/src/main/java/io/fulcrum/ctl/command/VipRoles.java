package io.fulcrum.ctl.command;

import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.SyncState;
import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.VrrpState;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** How fctl shows the VRRP roles the data planes report: per node ({@code nodes}) and per VIP ({@code get vip}). */
final class VipRoles {
    private VipRoles() {
    }

    /** {@code cells} of a node row with its roles ("vip0=MASTER,vip1=BACKUP(stale)") before the last cell. */
    static Object[] withRoles(Object[] cells, DataPlaneNode node) {
        Object[] row = Arrays.copyOf(cells, cells.length + 1);
        row[cells.length] = cells[cells.length - 1];
        row[cells.length - 1] = node.getVipsList().stream().map(v -> v.getVip() + "=" + role(v, node)).collect(Collectors.joining(","));
        return row;
    }

    /** The nodes that hold {@code vip} (more than one: a split brain), or "none". */
    static String holder(String vip, List<DataPlaneNode> nodes) {
        String holders = nodes.stream().filter(n -> n.getState() != SyncState.SYNC_STATE_DISCONNECTED)
                .filter(n -> n.getVipsList().stream().anyMatch(v -> v.getVip().equals(vip) && v.getState() == VrrpState.VRRP_STATE_MASTER))
                .map(DataPlaneNode::getNodeId).collect(Collectors.joining(","));
        return holders.isEmpty() ? "none" : holders;
    }

    /** "3 (1 fault)": the nodes that take part, and how many of them cannot take the address. */
    static String summary(String vip, List<DataPlaneNode> nodes) {
        List<String> roles = nodes.stream().flatMap(n -> n.getVipsList().stream().filter(v -> v.getVip().equals(vip))
                .map(v -> role(v, n))).toList();
        long unavailable = roles.stream().filter(r -> !r.startsWith("MASTER") && !r.startsWith("BACKUP")).count();
        return roles.size() + (unavailable == 0 ? "" : " (" + unavailable + " not available)");
    }

    /** The node's role as shown: its VRRP state, "(stale)" when it runs an older config, UNKNOWN when disconnected. */
    private static String role(VipStatus status, DataPlaneNode node) {
        if (node.getState() == SyncState.SYNC_STATE_DISCONNECTED) {
            return "UNKNOWN";
        }
        String role = status.getState().name().substring("VRRP_STATE_".length());
        return role + (status.getStale() ? "(stale)" : "") + (status.getError().isEmpty() ? "" : "(" + status.getError() + ")");
    }
}
