package io.fulcrum.controlplane.state;

import io.fulcrum.controlplane.internal.HealthObservation;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.proto.v1.ServerHealth;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the data-plane nodes reported, as replicated through Raft: each node's sync status and its
 * view of every server's health. Never part of the config and never pushed to data planes.
 * Written by the apply thread; reads see immutable maps.
 */
public final class ObservedState {
    private volatile Map<String, NodeObservation> nodes = Map.of();
    private volatile Map<String, Map<String, ServerHealth>> health = Map.of();

    void apply(ObservedUpdate update) {
        Map<String, NodeObservation> updatedNodes = new TreeMap<>(nodes);
        Set<String> left = new HashSet<>();
        for (NodeObservation incoming : update.getNodesList()) {
            NodeObservation known = updatedNodes.get(incoming.getNodeId());
            if (incoming.getLeft()) {
                // a Goodbye removes the node, unless something newer came meanwhile
                if (known == null || incoming.getLastSeenUnixMs() >= known.getLastSeenUnixMs()) {
                    updatedNodes.remove(incoming.getNodeId());
                    left.add(incoming.getNodeId());
                }
            } else if (known == null || isNewer(incoming, known)) {
                updatedNodes.put(incoming.getNodeId(), incoming);
                left.remove(incoming.getNodeId());
            }
        }
        Map<String, Map<String, ServerHealth>> updatedHealth = new TreeMap<>(health);
        for (HealthObservation observation : update.getHealthList()) {
            Map<String, ServerHealth> entries = new TreeMap<>(observation.getFull()
                    ? Map.of() : updatedHealth.getOrDefault(observation.getNodeId(), Map.of()));
            observation.getEntriesList().forEach(e -> entries.put(key(e.getServerGroup(), e.getServer()), e));
            updatedHealth.put(observation.getNodeId(), Collections.unmodifiableMap(entries));
        }
        updatedHealth.keySet().removeAll(left);
        nodes = Collections.unmodifiableMap(updatedNodes);
        health = Collections.unmodifiableMap(updatedHealth);
    }

    /**
     * Removes {@code nodeId} and its health if its record still has {@code lastSeenUnixMs}.
     *
     * @return whether it was removed (false: unknown, or it reported again since)
     */
    boolean forget(String nodeId, long lastSeenUnixMs) {
        NodeObservation known = nodes.get(nodeId);
        if (known == null || known.getLastSeenUnixMs() != lastSeenUnixMs) {
            return false;
        }
        Map<String, NodeObservation> updatedNodes = new TreeMap<>(nodes);
        updatedNodes.remove(nodeId);
        Map<String, Map<String, ServerHealth>> updatedHealth = new TreeMap<>(health);
        updatedHealth.remove(nodeId);
        nodes = Collections.unmodifiableMap(updatedNodes);
        health = Collections.unmodifiableMap(updatedHealth);
        return true;
    }

    /** The newest report wins; at the same instant a connect beats a disconnect. */
    private static boolean isNewer(NodeObservation incoming, NodeObservation known) {
        return incoming.getLastSeenUnixMs() > known.getLastSeenUnixMs()
                || (incoming.getLastSeenUnixMs() == known.getLastSeenUnixMs() && incoming.getConnected());
    }

    static String key(String group, String server) {
        return group + "/" + server;
    }

    /** Every data-plane node ever reported, by node id. */
    public Map<String, NodeObservation> nodes() {
        return nodes;
    }

    /** Each node's health entries, by node id, then by "group/server". */
    public Map<String, Map<String, ServerHealth>> health() {
        return health;
    }

    List<NodeObservation> nodeList() {
        return List.copyOf(nodes.values());
    }

    List<HealthObservation> healthList() {
        return health.entrySet().stream().map(e -> HealthObservation.newBuilder().setNodeId(e.getKey()).setFull(true)
                .addAllEntries(e.getValue().values()).build()).toList();
    }

    void restore(List<NodeObservation> nodeList, List<HealthObservation> healthList) {
        Map<String, NodeObservation> restoredNodes = new LinkedHashMap<>();
        nodeList.forEach(n -> restoredNodes.put(n.getNodeId(), n));
        nodes = Collections.unmodifiableMap(new TreeMap<>(restoredNodes));
        health = Map.of();
        apply(ObservedUpdate.newBuilder().addAllHealth(healthList).build());
    }
}
