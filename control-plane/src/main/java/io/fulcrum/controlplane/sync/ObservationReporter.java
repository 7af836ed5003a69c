package io.fulcrum.controlplane.sync;

import io.fulcrum.controlplane.internal.HealthObservation;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.proto.v1.HealthReport;
import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.Heartbeat;
import io.fulcrum.proto.v1.Hello;
import io.fulcrum.proto.v1.Nack;
import io.fulcrum.proto.v1.RecordedNack;
import io.fulcrum.proto.v1.ServerHealth;
import io.fulcrum.proto.v1.VipStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what the data planes connected to this member report and hands it to Raft in coalesced
 * batches ({@link #flush()}, called periodically): sync events at once, keep-alives at most every
 * {@link #KEEPALIVE_MS}, and of health only what changed — a node's periodic full report (thousands
 * of servers) is compared with what this member last replicated for it, and only changed entries
 * go to Raft (the whole report only when servers disappeared, or first after a node connects).
 * Every method is O(entries reported). Thread-safe.
 */
final class ObservationReporter {
    /** How often a quiet but connected node's last-seen time is replicated. */
    static final long KEEPALIVE_MS = 5000;
    private static final Logger log = LoggerFactory.getLogger(ObservationReporter.class);

    private final String memberId;
    private final Clock clock;
    private final Function<ObservedUpdate, CompletableFuture<?>> submit;
    private final Map<String, NodeObservation.Builder> nodes = new HashMap<>();
    /** Per node, the stream it is connected through: an older stream's end does not disconnect it. */
    private final Map<String, Long> sessions = new HashMap<>();
    private final Map<String, Long> replicatedAt = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Per node, the health entries this member has handed to Raft (by "group/server"). */
    private final Map<String, Map<String, ServerHealth>> replicated = new HashMap<>();
    /** Nodes whose next full report must replace everything known of them. */
    private final Set<String> needsFull = new HashSet<>();
    private final Map<String, PendingHealth> pendingHealth = new LinkedHashMap<>();
    private boolean flushing;

    /** Health not yet handed to Raft for one node. */
    private static final class PendingHealth {
        boolean full;
        final Map<String, ServerHealth> entries = new LinkedHashMap<>();
        final List<HealthTransition> transitions = new ArrayList<>();
    }

    /** @param submit replicates an update (proposes it, or sends it to the leader) */
    ObservationReporter(String memberId, Clock clock, Function<ObservedUpdate, CompletableFuture<?>> submit) {
        this.memberId = memberId;
        this.clock = clock;
        this.submit = submit;
    }

    synchronized void connected(String node, long session, Hello hello) {
        sessions.put(node, session);
        NodeObservation.Builder b = NodeObservation.newBuilder().setNodeId(node).setConnectedTo(memberId).setConnected(true)
                .setAppliedVersion(hello.getAppliedVersion()).setAppliedClusterId(hello.getClusterId())
                .putAllLabels(hello.getLabelsMap()).addAllVips(hello.getVipsList()).setLastSeenUnixMs(clock.millis());
        nodes.put(node, b);
        dirty.add(node);
        // what another member replicated while the node was elsewhere may be out of date
        replicated.remove(node);
        needsFull.add(node);
    }

    synchronized void heartbeat(String node, Heartbeat heartbeat) {
        NodeObservation.Builder b = nodes.get(node);
        if (b == null) {
            return;
        }
        long now = clock.millis();
        boolean changed = b.getReady() != heartbeat.getReady() || b.getDraining() != heartbeat.getDraining()
                || !sameRoles(b.getVipsList(), heartbeat.getVipsList())
                || !b.getDrainedServersList().equals(heartbeat.getDrainedServersList());
        b.setOpenConnections(heartbeat.getOpenConnections()).setReady(heartbeat.getReady())
                .setDraining(heartbeat.getDraining()).setLastSeenUnixMs(now).clearVips().addAllVips(heartbeat.getVipsList())
                .clearDrainedServers().addAllDrainedServers(heartbeat.getDrainedServersList())
                .clearListeners().addAllListeners(heartbeat.getListenersList());
        if (changed || now - replicatedAt.getOrDefault(node, 0L) >= KEEPALIVE_MS) {
            dirty.add(node);
        }
    }

    /** VIP roles as the fleet and operators see them (transition counts alone are not news). */
    private static boolean sameRoles(List<VipStatus> a, List<VipStatus> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).toBuilder().clearTransitions().build().equals(b.get(i).toBuilder().clearTransitions().build())) {
                return false;
            }
        }
        return true;
    }

    synchronized void applied(String node, long version, String clusterId) {
        NodeObservation.Builder b = nodes.get(node);
        if (b != null) {
            b.setAppliedVersion(version).setAppliedClusterId(clusterId).setLastSeenUnixMs(clock.millis());
            dirty.add(node);
        }
    }

    synchronized void nacked(String node, Nack nack) {
        NodeObservation.Builder b = nodes.get(node);
        if (b != null) {
            long now = clock.millis();
            b.setLastNack(RecordedNack.newBuilder().setVersion(nack.getVersion()).setError(nack.getError()).setUnixMs(now))
                    .setLastSeenUnixMs(now);
            dirty.add(node);
        }
    }

    synchronized void disconnected(String node, long session) {
        NodeObservation.Builder b = nodes.get(node);
        if (b != null && sessions.getOrDefault(node, session) == session) {
            sessions.remove(node);
            b.setConnected(false).setLastSeenUnixMs(clock.millis());
            dirty.add(node);
        }
    }

    /**
     * The node said Goodbye on stream {@code session}: it stops for good, and every member removes
     * it when the update applies (instead of showing it DISCONNECTED). The end of the stream that
     * follows changes nothing.
     */
    synchronized void left(String node, long session) {
        NodeObservation.Builder b = nodes.get(node);
        if (b != null && sessions.getOrDefault(node, session) == session) {
            sessions.remove(node);
            pendingHealth.remove(node);
            b.setConnected(false).setLeft(true).setLastSeenUnixMs(clock.millis());
            dirty.add(node);
        }
    }

    synchronized void health(String node, HealthReport report) {
        Map<String, ServerHealth> known = replicated.computeIfAbsent(node, n -> new HashMap<>());
        PendingHealth pending = pendingHealth.computeIfAbsent(node, n -> new PendingHealth());
        Set<String> reported = report.getFull() ? new HashSet<>() : null;
        for (ServerHealth entry : report.getEntriesList()) {
            String key = entry.getServerGroup() + "/" + entry.getServer();
            ServerHealth before = known.get(key);
            if (reported != null) {
                reported.add(key);
            }
            if (before != null && sameView(before, entry)) {
                continue;
            }
            HealthState previous = before == null ? HealthState.HEALTH_STATE_UNKNOWN : before.getState();
            if (previous != entry.getState()) {
                pending.transitions.add(HealthTransition.newBuilder().setNodeId(node).setHealth(entry).setPrevious(previous).build());
            }
            known.put(key, entry);
            pending.entries.put(key, entry);
        }
        if (reported != null && (needsFull.remove(node) || !reported.containsAll(known.keySet()))) {
            known.keySet().retainAll(reported);
            pending.full = true;
            pending.entries.clear();
            report.getEntriesList().forEach(e -> pending.entries.put(e.getServerGroup() + "/" + e.getServer(), e));
        }
        if (!pending.full && pending.entries.isEmpty() && pending.transitions.isEmpty()) {
            pendingHealth.remove(node);
        }
    }

    /** What an operator sees: the state, where, and why (latency and timestamps alone are not news). */
    private static boolean sameView(ServerHealth a, ServerHealth b) {
        return a.getState() == b.getState() && a.getAddress().equals(b.getAddress()) && a.getReason().equals(b.getReason());
    }

    /** Replicates what changed since the last flush, unless a flush is still under way. */
    void flush() {
        ObservedUpdate update;
        synchronized (this) {
            if (flushing || (dirty.isEmpty() && pendingHealth.isEmpty())) {
                return;
            }
            ObservedUpdate.Builder builder = ObservedUpdate.newBuilder();
            long now = clock.millis();
            for (String node : dirty) {
                NodeObservation.Builder b = nodes.get(node);
                if (b != null) {
                    builder.addNodes(b.build());
                    replicatedAt.put(node, now);
                    if (!b.getConnected()) {
                        nodes.remove(node);
                        replicated.remove(node);
                    }
                }
            }
            pendingHealth.forEach((node, pending) -> builder.addHealth(HealthObservation.newBuilder().setNodeId(node)
                    .setFull(pending.full).addAllEntries(pending.entries.values()).addAllTransitions(pending.transitions)));
            dirty.clear();
            pendingHealth.clear();
            update = builder.build();
            flushing = true;
        }
        CompletableFuture<?> submitted;
        try {
            submitted = submit.apply(update);
        } catch (RuntimeException e) {
            submitted = CompletableFuture.failedFuture(e);
        }
        submitted.whenComplete((ok, failure) -> {
            synchronized (this) {
                flushing = false;
                if (failure != null) {
                    requeue(update);
                    log.debug("observations not replicated yet: {}", failure.getMessage());
                }
            }
        });
    }

    /** A failed update: its nodes go out again; their health is sent whole with their next full report. */
    private void requeue(ObservedUpdate update) {
        for (NodeObservation node : update.getNodesList()) {
            nodes.putIfAbsent(node.getNodeId(), node.toBuilder());
            dirty.add(node.getNodeId());
        }
        for (HealthObservation health : update.getHealthList()) {
            replicated.remove(health.getNodeId());
            needsFull.add(health.getNodeId());
        }
    }
}
