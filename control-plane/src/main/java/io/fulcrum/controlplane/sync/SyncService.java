package io.fulcrum.controlplane.sync;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.state.StateListener;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.ControlPlaneMessage;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.SyncServiceGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The data planes' sync streams on this member (see docs/sync-protocol.md): committed config only,
 * one serialization per version, at most one snapshot in flight per stream, NACKed versions never
 * re-sent, observations replicated through Raft.
 */
public final class SyncService extends SyncServiceGrpc.SyncServiceImplBase implements StateListener, AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SyncService.class);
    private final SyncContext context;
    private final ObservationReporter reporter;
    private final ScheduledExecutorService pusher;

    /** @param submit replicates observations: proposes them on the leader, sends them to it elsewhere */
    public SyncService(String memberId, ClusterStateMachine state, SyncMetrics metrics, Clock clock,
            Function<ObservedUpdate, CompletableFuture<?>> submit) {
        this.reporter = new ObservationReporter(memberId, clock, submit);
        this.context = new SyncContext(memberId, state, reporter, metrics, clock);
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-sync-" + memberId);
            thread.setDaemon(true);
            return thread;
        });
        state.addListener(this);
    }

    @Override
    public StreamObserver<DataPlaneMessage> stream(StreamObserver<ControlPlaneMessage> responses) {
        SyncSession session = new SyncSession((ServerCallStreamObserver<ControlPlaneMessage>) responses, context);
        context.started(session);
        pusher.schedule(session::closeIfNoHello, SyncContext.HELLO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return session;
    }

    @Override
    public void onConfigChanged(ConfigModel model, ConfigChanged event) {
        pushAll();
    }

    /** A node's version or VIP role changed: the fleet the streams carry may have changed. */
    @Override
    public void onNodesObserved() {
        pushAll();
    }

    private void pushAll() {
        // off the Raft apply thread: serializing a large config takes a while
        pusher.execute(() -> context.sessions().forEach(session -> {
            try {
                session.maybeSend();
            } catch (RuntimeException e) {
                // one broken stream must not keep the others from their push
                log.warn("cannot push to data plane {}: {}", session.nodeId(), e.toString());
            }
        }));
    }

    /** Replicates pending observations; called periodically. */
    public void flushObservations() {
        reporter.flush();
    }

    /** The versions this member pushed to {@code node}, oldest first (diagnostics and tests). */
    public List<Long> pushedTo(String node) {
        return context.pushedTo(node);
    }

    /** Node ids with a stream on this member. */
    public List<String> connectedNodes() {
        return context.sessions().stream().map(SyncSession::nodeId).filter(n -> n != null).sorted().toList();
    }

    @Override
    public void close() {
        context.sessions().forEach(SyncSession::close);
        pusher.shutdownNow();
    }
}
