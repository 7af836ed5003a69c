package io.fulcrum.controlplane.sync;

import io.fulcrum.proto.v1.Ack;
import io.fulcrum.proto.v1.ControlPlaneMessage;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.HeartbeatAck;
import io.fulcrum.proto.v1.Hello;
import io.fulcrum.proto.v1.Nack;
import io.fulcrum.proto.v1.Snapshot;
import io.fulcrum.proto.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data plane's sync stream on this member. At most one snapshot is unanswered; a newer
 * version replaces nothing that was sent (versions coalesce: only the latest is sent once the
 * node answers); a NACKed version is never sent again; nothing older than what the node applied
 * (same cluster) is ever sent, so a member that is behind the node waits until it catches up.
 * Each Heartbeat is answered with a HeartbeatAck, so that an idle node still hears from its
 * member; the answer waits only for the stream to be ready, never for a snapshot's answer.
 */
final class SyncSession implements StreamObserver<DataPlaneMessage> {
    private static final Logger log = LoggerFactory.getLogger(SyncSession.class);

    private final ServerCallStreamObserver<ControlPlaneMessage> call;
    private final SyncContext context;
    private final Clock clock;
    private final long sessionId;
    private String nodeId;
    private long appliedVersion;
    private String appliedCluster = "";
    private long nackedVersion = -1;
    private long inFlightVersion = -1;
    private String inFlightNonce;
    private long nonceCounter;
    private boolean heartbeatAnswerDue;
    private Fleet fleetSent;
    private boolean closed;

    SyncSession(ServerCallStreamObserver<ControlPlaneMessage> call, SyncContext context) {
        this.call = call;
        this.context = context;
        this.clock = context.clock();
        this.sessionId = context.nextSessionId();
        call.setOnReadyHandler(this::maybeSend);
        // with a cancel handler gRPC does not throw from onNext on a cancelled call; onError ends the session
        call.setOnCancelHandler(() -> { });
    }

    @Override
    public void onNext(DataPlaneMessage message) {
        switch (message.getMessageCase()) {
            case HELLO -> onHello(message.getHello());
            case ACK -> onAck(message.getAck());
            case NACK -> onNack(message.getNack());
            case HEALTH_REPORT -> {
                if (nodeId != null) {
                    context.reporter().health(nodeId, message.getHealthReport());
                }
            }
            case HEARTBEAT -> {
                if (nodeId != null) {
                    context.reporter().heartbeat(nodeId, message.getHeartbeat());
                    answerHeartbeat();
                }
            }
            case GOODBYE -> {
                if (nodeId != null) {
                    context.reporter().left(nodeId, sessionId);
                    log.info("data plane {} is leaving: {}", nodeId, message.getGoodbye().getReason());
                }
            }
            case MESSAGE_NOT_SET -> { }
        }
    }

    private void onHello(Hello hello) {
        String invalid = HelloCheck.problem(hello);
        if (invalid != null) {
            refuse(Status.INVALID_ARGUMENT.withDescription(invalid));
            return;
        }
        synchronized (this) {
            if (nodeId != null || closed) {
                return;
            }
            nodeId = hello.getNodeId();
            appliedVersion = hello.getAppliedVersion();
            appliedCluster = hello.getClusterId();
            // a NACK outlives the stream: a reconnecting node is not sent what it rejected before
            nackedVersion = context.recordedNack(nodeId);
            call.onNext(ControlPlaneMessage.newBuilder().setWelcome(Welcome.newBuilder()
                    .setClusterId(context.clusterId()).setControlPlaneId(context.memberId())
                    .setHeartbeatIntervalMs(SyncContext.HEARTBEAT_INTERVAL_MS)
                    .setFullHealthIntervalMs(SyncContext.FULL_HEALTH_INTERVAL_MS)).build());
        }
        context.reporter().connected(nodeId, sessionId, hello);
        log.info("data plane {} connected (applied version {})", nodeId, appliedVersion);
        maybeSend();
    }

    private void onAck(Ack ack) {
        synchronized (this) {
            if (!ack.getNonce().equals(inFlightNonce)) {
                return; // answers a stream state that is gone: stale
            }
            inFlightNonce = null;
            appliedVersion = ack.getVersion();
            appliedCluster = context.clusterId();
        }
        context.acknowledged(nodeId, ack.getVersion());
        maybeSend();
    }

    private void onNack(Nack nack) {
        synchronized (this) {
            if (!nack.getNonce().equals(inFlightNonce)) {
                return;
            }
            inFlightNonce = null;
            nackedVersion = nack.getVersion();
        }
        log.warn("data plane {} rejected version {}: {}", nodeId, nack.getVersion(), nack.getError());
        context.rejected(nodeId, nack);
        maybeSend();
    }

    private void answerHeartbeat() {
        synchronized (this) {
            heartbeatAnswerDue = true;
        }
        maybeSend();
    }

    /**
     * Sends the latest config if the node may take it now, then a due heartbeat answer if the
     * stream is still ready (else the next ready signal sends it). Safe from any thread.
     */
    void maybeSend() {
        long sent;
        synchronized (this) {
            if (closed || nodeId == null) {
                return;
            }
            sent = sendSnapshotIfDue();
            sendFleetIfChanged();
            sendHeartbeatAnswerIfDue();
        }
        if (sent > 0) {
            context.sent(nodeId, sent);
        }
    }

    /** @return the version sent, or -1 if none was */
    private long sendSnapshotIfDue() {
        if (inFlightNonce != null || !call.isReady()) {
            return -1;
        }
        SnapshotCache.Published latest = context.snapshots().current();
        if (latest.version() == 0 || latest.clusterId().isEmpty() || latest.version() == nackedVersion) {
            return -1;
        }
        if (latest.clusterId().equals(appliedCluster) && latest.version() <= appliedVersion) {
            return -1; // the node is current, or this member is behind it: wait
        }
        inFlightVersion = latest.version();
        inFlightNonce = context.memberId() + "-" + (++nonceCounter);
        call.onNext(ControlPlaneMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setClusterId(latest.clusterId())
                .setVersion(latest.version()).setNonce(inFlightNonce).setConfig(latest.config())).build());
        return inFlightVersion;
    }

    /** The fleet, when the config has VIPs and it differs from what this stream last carried. */
    private void sendFleetIfChanged() {
        Fleet fleet = context.fleet();
        if (fleet == null || fleet.equals(fleetSent) || !call.isReady()) {
            return;
        }
        fleetSent = fleet;
        call.onNext(ControlPlaneMessage.newBuilder().setFleet(fleet).build());
    }

    private void sendHeartbeatAnswerIfDue() {
        if (!heartbeatAnswerDue || !call.isReady()) {
            return;
        }
        heartbeatAnswerDue = false;
        call.onNext(ControlPlaneMessage.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
                .setConfigVersion(context.snapshots().current().version())).build());
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    @Override
    public void onCompleted() {
        end();
        try {
            call.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // the call was cancelled meanwhile
        }
    }

    private void end() {
        String node;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            node = nodeId;
        }
        context.ended(this);
        if (node != null) {
            context.reporter().disconnected(node, sessionId);
            log.info("data plane {} disconnected", node);
        }
    }

    synchronized String nodeId() {
        return nodeId;
    }

    /**
     * Ends a stream that has not said Hello within {@link SyncContext#HELLO_TIMEOUT_MS} (a stalled or
     * foreign client must not hold a session for ever).
     */
    void closeIfNoHello() {
        synchronized (this) {
            if (nodeId != null) {
                return;
            }
        }
        refuse(Status.DEADLINE_EXCEEDED.withDescription("no Hello within " + SyncContext.HELLO_TIMEOUT_MS
                + " ms: a sync stream starts with Hello (docs/sync-protocol.md)"));
    }

    /** Ends the stream because of what the other side sent (or did not send). */
    private void refuse(Status status) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        context.ended(this);
        log.info("sync stream refused: {}", status.getDescription());
        try {
            call.onError(status.asRuntimeException());
        } catch (IllegalStateException alreadyClosed) {
            // the call was cancelled meanwhile
        }
    }

    /** Ends the stream from this side (the member is shutting down). */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            call.onError(Status.UNAVAILABLE.withDescription("control-plane member shutting down").asRuntimeException());
        } catch (IllegalStateException alreadyClosed) {
            // fine
        }
    }
}
