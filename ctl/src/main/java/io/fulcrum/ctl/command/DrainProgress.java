package io.fulcrum.ctl.command;

import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.NodesResponse;
import io.fulcrum.proto.v1.ServerConnections;
import io.fulcrum.proto.v1.SyncState;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a drain stands on each connected data plane: not yet at the drain's version, at it but not
 * reported yet, or reporting N open connections to the server. Disconnected nodes are left out
 * (they serve nothing new from the cluster and report nothing).
 */
record DrainProgress(List<Node> nodes) {
    /** One node; {@code open} is -1 until the node reports on the server at the drain's version. */
    record Node(String id, long appliedVersion, long open) {
        String describe(long version) {
            if (appliedVersion < version) {
                return id + ": at version " + appliedVersion + ", waiting for version " + version;
            }
            return open < 0 ? id + ": at version " + appliedVersion + ", waiting for its report"
                    : id + ": " + open + " open connection" + (open == 1 ? "" : "s");
        }
    }

    static DrainProgress of(NodesResponse response, ServerRef ref, long version) {
        List<Node> nodes = new ArrayList<>();
        for (DataPlaneNode node : response.getNodesList()) {
            if (node.getState() == SyncState.SYNC_STATE_DISCONNECTED) {
                continue;
            }
            long open = -1;
            for (ServerConnections server : node.getDrainedServersList()) {
                if (server.getServerGroup().equals(ref.group()) && server.getServer().equals(ref.server())) {
                    open = server.getOpenConnections();
                }
            }
            nodes.add(new Node(node.getNodeId(), node.getAppliedVersion(), node.getAppliedVersion() >= version ? open : -1));
        }
        return new DrainProgress(List.copyOf(nodes));
    }

    /** True when every connected node runs the drain's version and reports 0 open connections. */
    boolean done() {
        return nodes.stream().allMatch(n -> n.open() == 0);
    }

    long open() {
        return nodes.stream().mapToLong(n -> Math.max(0, n.open())).sum();
    }
}
