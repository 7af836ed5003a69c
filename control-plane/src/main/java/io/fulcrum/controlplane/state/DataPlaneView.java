package io.fulcrum.controlplane.state;

import io.fulcrum.config.command.ServerHealthView;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.ServerHealth;
import io.fulcrum.proto.v1.ServerHealthSummary;
import io.fulcrum.proto.v1.SyncState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the observed state reads to an operator: each data plane's sync state, and each server's
 * health across the nodes that report it. Stateless.
 */
public final class DataPlaneView {
    /** A node whose stream has not been heard from for this long is DISCONNECTED. */
    public static final long DISCONNECTED_AFTER_MS = 15_000;

    private DataPlaneView() {
    }

    public static SyncState state(NodeObservation node, ConfigModel model, long now) {
        if (!node.getConnected() || now - node.getLastSeenUnixMs() > DISCONNECTED_AFTER_MS) {
            return SyncState.SYNC_STATE_DISCONNECTED;
        }
        if (node.getDraining()) {
            return SyncState.SYNC_STATE_DRAINING;
        }
        boolean sameCluster = node.getAppliedClusterId().equals(model.clusterId());
        long applied = sameCluster ? node.getAppliedVersion() : 0;
        if (node.hasLastNack() && node.getLastNack().getVersion() > applied) {
            return SyncState.SYNC_STATE_NACKED;
        }
        return applied >= model.version() ? SyncState.SYNC_STATE_SYNCED : SyncState.SYNC_STATE_STALE;
    }

    public static List<DataPlaneNode> nodes(ClusterStateMachine state, long now) {
        ConfigModel model = state.model();
        List<DataPlaneNode> nodes = new ArrayList<>();
        for (NodeObservation node : state.observed().nodes().values()) {
            nodes.add(view(node, model, now));
        }
        return nodes;
    }

    /** One node as {@code fctl nodes} shows it. */
    public static DataPlaneNode view(NodeObservation node, ConfigModel model, long now) {
        DataPlaneNode.Builder view = DataPlaneNode.newBuilder().setNodeId(node.getNodeId())
                .setState(state(node, model, now)).setConnectedTo(node.getConnectedTo())
                .setAppliedVersion(node.getAppliedVersion())
                .setLag(Math.max(0, model.version() - node.getAppliedVersion()))
                .setLastSeenUnixMs(node.getLastSeenUnixMs()).putAllLabels(node.getLabelsMap())
                .setOpenConnections(node.getOpenConnections()).addAllVips(node.getVipsList())
                .addAllDrainedServers(node.getDrainedServersList()).addAllListeners(node.getListenersList());
        if (node.hasLastNack()) {
            view.setLastNack(node.getLastNack());
        }
        return view.build();
    }

    /** Health of every server (of one group, or all when {@code group} is empty), per node and overall. */
    public static List<ServerHealthSummary> health(ClusterStateMachine state, String group, long now) {
        ConfigModel model = state.model();
        List<ServerHealthSummary> summaries = new ArrayList<>();
        for (var resource : model.list(Kind.SERVER_GROUP)) {
            ServerGroup serverGroup = (ServerGroup) resource;
            if (!group.isEmpty() && !group.equals(serverGroup.getName())) {
                continue;
            }
            for (Server server : serverGroup.getServersList()) {
                summaries.add(summary(state, serverGroup.getName(), server, now));
            }
        }
        return summaries;
    }

    private static ServerHealthSummary summary(ClusterStateMachine state, String group, Server server, long now) {
        ConfigModel model = state.model();
        ServerHealthSummary.Builder summary = ServerHealthSummary.newBuilder().setServerGroup(group)
                .setServer(server.getName()).setAddress(server.getAddress());
        int up = 0;
        int reporting = 0;
        for (Map.Entry<String, Map<String, ServerHealth>> node : state.observed().health().entrySet()) {
            NodeObservation observation = state.observed().nodes().get(node.getKey());
            if (observation == null || state(observation, model, now) == SyncState.SYNC_STATE_DISCONNECTED) {
                continue;
            }
            ServerHealth health = node.getValue().get(ObservedState.key(group, server.getName()));
            if (health == null || !health.getAddress().equals(server.getAddress())
                    || health.getState() == HealthState.HEALTH_STATE_UNKNOWN) {
                continue;
            }
            reporting++;
            up += health.getState() == HealthState.HEALTH_STATE_UP ? 1 : 0;
            summary.putPerNode(node.getKey(), health);
        }
        return summary.setNodesUp(up).setNodesReporting(reporting).setAggregate(aggregate(up, reporting)).build();
    }

    /** UP, DOWN, PARTIAL (n/m nodes UP) or UNKNOWN. */
    static String aggregate(int up, int reporting) {
        if (reporting == 0) {
            return "UNKNOWN";
        }
        if (up == reporting) {
            return "UP";
        }
        return up == 0 ? "DOWN" : "PARTIAL (" + up + "/" + reporting + " nodes UP)";
    }

    /** The health column of {@code list-detail server}. */
    public static ServerHealthView serverHealthView(ClusterStateMachine state, Clock clock) {
        return (group, server) -> health(state, group, clock.millis()).stream()
                .filter(s -> s.getServer().equals(server)).map(ServerHealthSummary::getAggregate)
                .findFirst().orElse("UNKNOWN");
    }
}
