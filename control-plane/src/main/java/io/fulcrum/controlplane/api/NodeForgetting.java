package io.fulcrum.controlplane.api;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.NodeForgotten;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.state.DataPlaneView;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ForgetNodeRequest;
import io.fulcrum.proto.v1.ForgetNodeResponse;
import io.fulcrum.proto.v1.SyncState;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removing data planes that stopped for good from the observed state: on request (ForgetNode)
 * and, on the leader only, automatically once one has been DISCONNECTED longer than a limit.
 * The leader decides on its own clock and proposes a {@link NodeForgotten} entry that every member
 * applies alike: only if the node did not report again since the decision. Thread-safe.
 */
final class NodeForgetting {
    static final String AUTOMATIC = "automatic";
    private static final Logger log = LoggerFactory.getLogger(NodeForgetting.class);

    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final LeaderLink leader;
    private final Clock clock;
    private final Duration automaticAfter;
    private final Set<String> proposing = ConcurrentHashMap.newKeySet();

    /** @param automaticAfter zero: never forget on its own */
    NodeForgetting(RaftServer raft, ClusterStateMachine state, LeaderLink leader, Clock clock, Duration automaticAfter) {
        this.raft = raft;
        this.state = state;
        this.leader = leader;
        this.clock = clock;
        this.automaticAfter = automaticAfter;
    }

    /** How often the leader looks for nodes to forget: a tenth of the limit, between 100 ms and a minute. */
    static long sweepPeriodMs(Duration automaticAfter) {
        return Math.max(100, Math.min(60_000, automaticAfter.toMillis() / 10));
    }

    /** ForgetNode: NOT_FOUND for an unknown node, FAILED_PRECONDITION for one that is not DISCONNECTED. */
    CompletableFuture<ForgetNodeResponse> forget(ForgetNodeRequest request, Principal caller) {
        caller.requireWrite("forget a data plane");
        if (request.getNodeId().isEmpty()) {
            throw new InvalidRequestException("node_id is required: the data plane to forget (see fctl nodes)");
        }
        if (!raft.isLeader()) {
            return LeaderLink.<ForgetNodeResponse>unary(o -> leader.cluster(caller).forgetNode(request, o));
        }
        NodeObservation node = state.observed().nodes().get(request.getNodeId());
        if (node == null) {
            java.util.List<String> known = state.observed().nodes().keySet().stream().sorted().toList();
            String listed = known.size() <= 20 ? String.join(", ", known)
                    : String.join(", ", known.subList(0, 20)) + " and " + (known.size() - 20) + " more (fctl nodes lists them)";
            throw Status.NOT_FOUND.withDescription("no data plane " + request.getNodeId() + "; known: "
                    + (known.isEmpty() ? "none" : listed)).asRuntimeException();
        }
        ConfigModel model = state.model();
        long now = clock.millis();
        DataPlaneNode view = DataPlaneView.view(node, model, now);
        if (view.getState() != SyncState.SYNC_STATE_DISCONNECTED) {
            throw Status.FAILED_PRECONDITION.withDescription("data plane " + node.getNodeId() + " is connected (to "
                    + node.getConnectedTo() + ", last seen " + Math.max(0, now - node.getLastSeenUnixMs()) / 1000
                    + " s ago); only a DISCONNECTED node can be forgotten: stop it first").asRuntimeException();
        }
        return propose(node, caller.name()).thenApply(removed -> {
            if (!removed) {
                throw Status.FAILED_PRECONDITION.withDescription("data plane " + node.getNodeId()
                        + " reported again while it was being forgotten; it is kept").asRuntimeException();
            }
            return ForgetNodeResponse.newBuilder().setForgotten(view).build();
        });
    }

    /** On the leader: proposes to forget every node DISCONNECTED for longer than the limit. */
    void sweep() {
        if (automaticAfter.isZero() || !raft.isLeader()) {
            return;
        }
        ConfigModel model = state.model();
        long now = clock.millis();
        for (NodeObservation node : state.observed().nodes().values()) {
            if (DataPlaneView.state(node, model, now) == SyncState.SYNC_STATE_DISCONNECTED
                    && now - node.getLastSeenUnixMs() >= automaticAfter.toMillis() && proposing.add(node.getNodeId())) {
                propose(node, AUTOMATIC).whenComplete((removed, failure) -> {
                    proposing.remove(node.getNodeId());
                    if (failure != null) {
                        log.debug("forgetting {} not committed: {}", node.getNodeId(), failure.toString());
                    } else if (removed) {
                        log.info("forgot data plane {}: disconnected for more than {}", node.getNodeId(), automaticAfter);
                    }
                });
            }
        }
    }

    private CompletableFuture<Boolean> propose(NodeObservation node, String by) {
        NodeForgotten forgotten = NodeForgotten.newBuilder().setNodeId(node.getNodeId())
                .setLastSeenUnixMs(node.getLastSeenUnixMs()).setBy(by).build();
        return raft.propose(LogEntry.newBuilder().setNodeForgotten(forgotten).setProposedUnixMs(clock.millis()).build()
                .toByteArray()).orTimeout(ConfigOperations.COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(Boolean.TRUE::equals);
    }
}
