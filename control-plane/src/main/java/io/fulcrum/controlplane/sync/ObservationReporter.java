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
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what the data planes connected to this member report and hands it to Raft in coalesced
 * batches ({@link #flush()}, called periodically): sync events at once, health as reported,
 * keep-alives at most every {@link #KEEPALIVE_MS}. Thread-safe.
 */
final class ObservationReporter {
    /** How often a quiet but connected node's last-seen time is replicated. */
    static final long KEEPALIVE_MS = 5000;
    private static final Logger log = LoggerFactory.getLogger(ObservationReporter.class);

    private final String memberId;
    private final Clock clock;
    private final Function<ObservedUpdate, CompletableFuture<?>> submit;
    private final Map<String, NodeObservation.Builder> nodes = new HashMap<>();
    private final Map<String, Long> replicatedAt = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, HealthObservation.Builder> pendingHealth = new LinkedHashMap<>();
    private final Map<String, Map<String, HealthState>> lastStates = new HashMap<>();
    private boolean flushing;

    /** @param submit replicates an update (proposes it, or sends it to the leader) */
    ObservationReporter(String memberId, Clock clock, Function<ObservedUpdate, CompletableFuture<?>> submit) {
        this.memberId = memberId;
        this.clock = clock;
        this.submit = submit;
    }

    synchronized void connected(String node, Hello hello) {
        NodeObservation.Builder b = NodeObservation.newBuilder().setNodeId(node).setConnectedTo(memberId).setConnected(true)
                .setAppliedVersion(hello.getAppliedVersion()).setAppliedClusterId(hello.getClusterId())
                .putAllLabels(hello.getLabelsMap()).setLastSeenUnixMs(clock.millis());
        nodes.put(node, b);
        dirty.add(node);
    }

    synchronized void heartbeat(String node, Heartbeat heartbeat) {
        NodeObservation.Builder b = nodes.get(node);
        if (b == null) {
            return;
        }
        long now = clock.millis();
        boolean readyChanged = b.getReady() != heartbeat.getReady();
        b.setOpenConnections(heartbeat.getOpenConnections()).setReady(heartbeat.getReady()).setLastSeenUnixMs(now);
        if (readyChanged || now - replicatedAt.getOrDefault(node, 0L) >= KEEPALIVE_MS) {
            dirty.add(node);
        }
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

    synchronized void disconnected(String node) {
        NodeObservation.Builder b = nodes.get(node);
        if (b != null) {
            b.setConnected(false).setLastSeenUnixMs(clock.millis());
            dirty.add(node);
        }
    }

    synchronized void health(String node, HealthReport report) {
        HealthObservation.Builder pending = pendingHealth.get(node);
        if (pending == null || report.getFull()) {
            pending = HealthObservation.newBuilder().setNodeId(node).setFull(report.getFull())
                    .addAllTransitions(pending == null ? java.util.List.of() : pending.getTransitionsList());
            pendingHealth.put(node, pending);
        }
        Map<String, HealthState> last = lastStates.computeIfAbsent(node, n -> new HashMap<>());
        for (ServerHealth entry : report.getEntriesList()) {
            String key = entry.getServerGroup() + "/" + entry.getServer();
            HealthState previous = last.getOrDefault(key, HealthState.HEALTH_STATE_UNKNOWN);
            if (previous != entry.getState()) {
                pending.addTransitions(HealthTransition.newBuilder().setNodeId(node).setHealth(entry).setPrevious(previous));
            }
            last.put(key, entry.getState());
            upsert(pending, entry);
        }
    }

    private static void upsert(HealthObservation.Builder pending, ServerHealth entry) {
        for (int i = 0; i < pending.getEntriesCount(); i++) {
            ServerHealth known = pending.getEntries(i);
            if (known.getServerGroup().equals(entry.getServerGroup()) && known.getServer().equals(entry.getServer())) {
                pending.setEntries(i, entry);
                return;
            }
        }
        pending.addEntries(entry);
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
                        lastStates.remove(node);
                    }
                }
            }
            pendingHealth.values().forEach(h -> builder.addHealth(h.build()));
            dirty.clear();
            pendingHealth.clear();
            update = builder.build();
            flushing = true;
        }
        submit.apply(update).whenComplete((ok, failure) -> {
            synchronized (this) {
                flushing = false;
                if (failure != null) {
                    requeue(update);
                    log.debug("observations not replicated yet: {}", failure.getMessage());
                }
            }
        });
    }

    /** Puts a failed update back so the next flush carries it (newer news already queued wins). */
    private void requeue(ObservedUpdate update) {
        for (NodeObservation node : update.getNodesList()) {
            if (!nodes.containsKey(node.getNodeId())) {
                nodes.put(node.getNodeId(), node.toBuilder());
            }
            dirty.add(node.getNodeId());
        }
        for (HealthObservation health : update.getHealthList()) {
            HealthObservation.Builder newer = pendingHealth.get(health.getNodeId());
            if (newer == null) {
                pendingHealth.put(health.getNodeId(), health.toBuilder());
            } else if (!newer.getFull()) {
                HealthObservation.Builder merged = health.toBuilder();
                newer.getEntriesList().forEach(e -> upsert(merged, e));
                merged.addAllTransitions(newer.getTransitionsList());
                pendingHealth.put(health.getNodeId(), merged);
            }
        }
    }
}
