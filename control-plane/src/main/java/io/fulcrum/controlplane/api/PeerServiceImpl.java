package io.fulcrum.controlplane.api;

import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.ObserveReply;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.controlplane.internal.PeerServiceGrpc;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.RaftServer;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Calls between members: followers hand the leader what their data planes reported. */
final class PeerServiceImpl extends PeerServiceGrpc.PeerServiceImplBase {
    private final RaftServer raft;
    private final Clock clock;
    private final Responder responder;

    PeerServiceImpl(RaftServer raft, Clock clock, Responder responder) {
        this.raft = raft;
        this.clock = clock;
        this.responder = responder;
    }

    @Override
    public void observe(ObservedUpdate update, StreamObserver<ObserveReply> observer) {
        responder.respond(() -> {
            if (Principal.current().role() != Role.PEER) {
                throw new PermissionDeniedException("only control-plane members may call the peer service");
            }
            return replicate(update).thenApply(ignored -> ObserveReply.getDefaultInstance());
        }, observer);
    }

    /** Proposes an observation update; this member must be the leader. */
    CompletableFuture<Object> replicate(ObservedUpdate update) {
        if (!raft.isLeader()) {
            throw new NotLeaderException(raft.leaderAddress(), "not the leader");
        }
        return raft.propose(LogEntry.newBuilder().setObserved(update).setProposedUnixMs(clock.millis()).build().toByteArray())
                .orTimeout(ConfigOperations.COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
