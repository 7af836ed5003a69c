package io.fulcrum.controlplane.sync;

import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.Nack;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What the streams of one member share: the snapshot cache, the reporter, metrics, the push log. */
final class SyncContext {
    static final long HEARTBEAT_INTERVAL_MS = 2000;
    static final long FULL_HEALTH_INTERVAL_MS = 10_000;
    /** A stream that has not said Hello by then is closed. */
    static final long HELLO_TIMEOUT_MS = 10_000;
    private static final int PUSH_LOG = 1000;

    private final String memberId;
    private final ClusterStateMachine state;
    private final SnapshotCache snapshots;
    private final ObservationReporter reporter;
    private final SyncMetrics metrics;
    private final Clock clock;
    private final Set<SyncSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Deque<Long>> pushes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sessionIds = new java.util.concurrent.atomic.AtomicLong();
    private volatile FleetCache fleet;

    /** The fleet built for one model and one observed node map (both immutable, compared by identity). */
    private record FleetCache(ConfigModel model, Map<String, NodeObservation> nodes, Fleet fleet) {
    }

    SyncContext(String memberId, ClusterStateMachine state, ObservationReporter reporter, SyncMetrics metrics, Clock clock) {
        this.memberId = memberId;
        this.state = state;
        this.snapshots = new SnapshotCache(state, metrics);
        this.reporter = reporter;
        this.metrics = metrics;
        this.clock = clock;
    }

    String memberId() {
        return memberId;
    }

    String clusterId() {
        return state.bootstrap().getClusterId();
    }

    SnapshotCache snapshots() {
        return snapshots;
    }

    ObservationReporter reporter() {
        return reporter;
    }

    /** The fleet for the current config and observations, or null when the config has no VIP. Built once per change. */
    Fleet fleet() {
        ConfigModel model = state.model();
        Map<String, NodeObservation> nodes = state.observed().nodes();
        FleetCache cached = fleet;
        if (cached == null || cached.model() != model || cached.nodes() != nodes) {
            cached = new FleetCache(model, nodes, FleetView.of(model, nodes));
            fleet = cached;
        }
        return cached.fleet();
    }

    Clock clock() {
        return clock;
    }

    Set<SyncSession> sessions() {
        return sessions;
    }

    long nextSessionId() {
        return sessionIds.incrementAndGet();
    }

    void started(SyncSession session) {
        sessions.add(session);
        metrics.streams.set(sessions.size());
    }

    void ended(SyncSession session) {
        sessions.remove(session);
        metrics.streams.set(sessions.size());
    }

    void sent(String node, long version) {
        metrics.snapshotsSent.inc();
        Deque<Long> log = pushes.computeIfAbsent(node, n -> new ArrayDeque<>());
        synchronized (log) {
            log.addLast(version);
            if (log.size() > PUSH_LOG) {
                log.removeFirst();
            }
        }
    }

    /** The versions pushed to {@code node} by this member, oldest first (the last 1,000). */
    List<Long> pushedTo(String node) {
        Deque<Long> log = pushes.getOrDefault(node, new ArrayDeque<>());
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The version {@code node} last rejected, as replicated; -1 if none. */
    long recordedNack(String node) {
        var observed = state.observed().nodes().get(node);
        return observed != null && observed.hasLastNack() ? observed.getLastNack().getVersion() : -1;
    }

    void acknowledged(String node, long version) {
        reporter.applied(node, version, clusterId());
        Long committed = state.history().committedAt(version);
        if (committed != null) {
            metrics.convergence.observe(Math.max(0, clock.millis() - committed) / 1000.0);
        }
    }

    void rejected(String node, Nack nack) {
        metrics.nacks.inc();
        reporter.nacked(node, nack);
    }
}
