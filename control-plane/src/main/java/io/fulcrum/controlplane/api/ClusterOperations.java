package io.fulcrum.controlplane.api;

import io.fulcrum.config.schema.HostPort;
import io.fulcrum.config.schema.InvalidValueException;
import io.fulcrum.config.schema.Names;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.internal.MemberRemoved;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.PeerReachability;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.state.DataPlaneView;
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.HealthResponse;
import io.fulcrum.proto.v1.NodesResponse;
import io.fulcrum.proto.v1.AddMemberRequest;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.MembershipResponse;
import io.fulcrum.proto.v1.RemoveMemberRequest;
import io.fulcrum.proto.v1.Reachability;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.TransferLeaderRequest;
import io.grpc.Status;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Cluster status and membership. Membership changes run on the leader (a follower forwards them);
 * each Raft configuration change is followed by the entry that records the member's addresses.
 */
public final class ClusterOperations {
    /** How long a follower answering Status waits for the leader's view of reachability. */
    static final long REACHABILITY_WAIT_MS = 2000;

    private final String selfId;
    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final LeaderLink leader;
    private final Clock clock;
    private final int electionTimeoutMs;

    ClusterOperations(String selfId, RaftServer raft, ClusterStateMachine state, LeaderLink leader, Clock clock,
            int electionTimeoutMs) {
        this.selfId = selfId;
        this.raft = raft;
        this.state = state;
        this.leader = leader;
        this.clock = clock;
        this.electionTimeoutMs = electionTimeoutMs;
    }

    /**
     * This member's view (no read barrier, so it answers even without a leader), with each member's
     * reachability as the leader sees it: the leader fills it in itself, a follower asks the leader
     * (waiting at most {@link #REACHABILITY_WAIT_MS}) and leaves it UNKNOWN when no leader answers.
     */
    public CompletableFuture<StatusResponse> status(Principal caller) {
        caller.requireRead();
        StatusResponse local = StatusResponse.newBuilder().setClusterId(state.bootstrap().getClusterId()).setNodeId(selfId)
                .setLeaderId(idOf(raft.leaderAddress())).setTerm(raft.term()).setCommitIndex(raft.commitIndex())
                .setAppliedIndex(raft.appliedIndex()).setConfigVersion(state.model().version())
                .addAllMembers(members().getMembersList()).setRole(raft.role().name()).build();
        List<PeerReachability> seen = raft.reachability();
        if (seen != null) {
            Map<String, PeerReachability> byAddress = new HashMap<>();
            seen.forEach(peer -> byAddress.put(peer.raftAddress(), peer));
            return CompletableFuture.completedFuture(withReachability(local, selfId, m -> {
                PeerReachability peer = byAddress.get(m.getRaftAddress());
                return peer == null ? m : m.toBuilder().setReachability(peer.reachable() ? Reachability.REACHABILITY_REACHABLE
                        : Reachability.REACHABILITY_UNREACHABLE).setUnreachableForMs(peer.unreachableForMs()).build();
            }));
        }
        if (caller.role() == Role.PEER || raft.leaderAddress() == null) {
            return CompletableFuture.completedFuture(local);
        }
        CompletableFuture<StatusResponse> asked;
        try {
            ClusterServiceGrpc.ClusterServiceStub stub = leader.cluster(caller)
                    .withDeadlineAfter(REACHABILITY_WAIT_MS, TimeUnit.MILLISECONDS);
            asked = LeaderLink.<StatusResponse>unary(o -> stub.status(StatusRequest.getDefaultInstance(), o));
        } catch (NotLeaderException notYet) {
            return CompletableFuture.completedFuture(local);
        }
        return asked.handle((fromLeader, failure) -> {
            if (failure != null || fromLeader.getReachabilityFrom().isEmpty()) {
                return local;
            }
            Map<String, Member> byAddress = new HashMap<>();
            fromLeader.getMembersList().forEach(m -> byAddress.put(m.getRaftAddress(), m));
            return withReachability(local, fromLeader.getReachabilityFrom(), m -> {
                Member theirs = byAddress.get(m.getRaftAddress());
                return theirs == null ? m : m.toBuilder().setReachability(theirs.getReachability())
                        .setUnreachableForMs(theirs.getUnreachableForMs()).build();
            });
        });
    }

    private static StatusResponse withReachability(StatusResponse status, String from, UnaryOperator<Member> fill) {
        return status.toBuilder().clearMembers().addAllMembers(status.getMembersList().stream().map(fill).toList())
                .setReachabilityFrom(from).build();
    }

    /** Every data plane the cluster has heard of, with its sync state (linearizable read). */
    public CompletableFuture<NodesResponse> nodes(Principal caller) {
        caller.requireRead();
        return raft.readBarrier().orTimeout(ConfigOperations.COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(ignored -> NodesResponse.newBuilder().setConfigVersion(state.model().version())
                        .addAllNodes(DataPlaneView.nodes(state, clock.millis())).build());
    }

    /** Health of the servers of one group (or all), overall and per node (linearizable read). */
    public CompletableFuture<HealthResponse> health(HealthRequest request, Principal caller) {
        caller.requireRead();
        return raft.readBarrier().orTimeout(ConfigOperations.COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(ignored -> HealthResponse.newBuilder()
                        .addAllServers(DataPlaneView.health(state, request.getServerGroup(), clock.millis())).build());
    }

    MembershipResponse members() {
        MembershipResponse.Builder response = MembershipResponse.newBuilder();
        String leaderAddress = raft.leaderAddress();
        for (String peer : raft.peers()) {
            MemberInfo info = byRaftAddress(peer);
            response.addMembers(Member.newBuilder().setId(info == null ? peer : info.getId()).setRaftAddress(peer)
                    .setApiAddress(info == null ? "" : info.getApiAddress()).setLeader(peer.equals(leaderAddress)));
        }
        return response.setLeaderId(idOf(leaderAddress)).build();
    }

    public CompletableFuture<MembershipResponse> addMember(AddMemberRequest request, Principal caller) {
        caller.requireWrite("change the members");
        checkMember(request);
        if (!raft.isLeader()) {
            return LeaderLink.<MembershipResponse>unary(o -> leader.cluster(caller).addMember(request, o));
        }
        MemberInfo existing = state.members().get(request.getId());
        if (existing != null && !existing.getRaftAddress().equals(request.getRaftAddress())) {
            throw Status.ALREADY_EXISTS.withDescription("member " + request.getId() + " already exists with Raft address "
                    + existing.getRaftAddress()).asRuntimeException();
        }
        boolean inConfiguration = raft.peers().contains(request.getRaftAddress());
        if (request.getAnnounce() && !inConfiguration) {
            throw Status.FAILED_PRECONDITION.withDescription(request.getRaftAddress()
                    + " is not a member of the Raft configuration; add it with AddMember first").asRuntimeException();
        }
        CompletableFuture<Void> joined = inConfiguration ? CompletableFuture.completedFuture(null)
                : raft.addPeer(request.getRaftAddress());
        MemberInfo info = MemberInfo.newBuilder().setId(request.getId()).setRaftAddress(request.getRaftAddress())
                .setApiAddress(request.getApiAddress()).build();
        return joined.thenCompose(ignored -> propose(LogEntry.newBuilder().setMember(info))).thenApply(ignored -> members());
    }

    public CompletableFuture<MembershipResponse> removeMember(RemoveMemberRequest request, Principal caller) {
        caller.requireWrite("change the members");
        if (!raft.isLeader()) {
            return LeaderLink.<MembershipResponse>unary(o -> leader.cluster(caller).removeMember(request, o));
        }
        MemberInfo member = find(request.getId());
        // record the removal first: once the leader removes itself it can no longer propose
        return propose(LogEntry.newBuilder().setMemberRemoved(MemberRemoved.newBuilder().setId(member.getId())))
                .thenCompose(ignored -> raft.removePeer(member.getRaftAddress()))
                .thenApply(ignored -> members());
    }

    public CompletableFuture<MembershipResponse> transferLeader(TransferLeaderRequest request, Principal caller,
            Executor waiter) {
        caller.requireWrite("move the leadership");
        if (!raft.isLeader()) {
            return LeaderLink.<MembershipResponse>unary(o -> leader.cluster(caller).transferLeader(request, o));
        }
        String target = request.getId().isEmpty() ? null : find(request.getId()).getRaftAddress();
        String self = raft.address();
        if (self.equals(target)) {
            return CompletableFuture.completedFuture(members());
        }
        raft.transferLeadership(target);
        long patience = 4L * electionTimeoutMs + 2000;
        long deadline = clock.millis() + patience;
        return CompletableFuture.supplyAsync(() -> {
            while (clock.millis() < deadline) {
                String now = raft.leaderAddress();
                if (now != null && !now.equals(self) && (target == null || now.equals(target))) {
                    return members();
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw Status.DEADLINE_EXCEEDED.withDescription("leadership did not move within " + patience + " ms")
                    .asRuntimeException();
        }, waiter);
    }

    private CompletableFuture<Object> propose(LogEntry.Builder entry) {
        return raft.propose(entry.setProposedUnixMs(clock.millis()).build().toByteArray())
                .orTimeout(ConfigOperations.COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private MemberInfo find(String idOrAddress) {
        MemberInfo member = state.members().get(idOrAddress);
        if (member == null) {
            member = byRaftAddress(idOrAddress);
        }
        if (member == null) {
            throw Status.NOT_FOUND.withDescription("no member " + idOrAddress + "; members: "
                    + String.join(", ", state.members().keySet())).asRuntimeException();
        }
        return member;
    }

    private MemberInfo byRaftAddress(String raftAddress) {
        for (Map.Entry<String, MemberInfo> entry : state.members().entrySet()) {
            if (entry.getValue().getRaftAddress().equals(raftAddress)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private String idOf(String raftAddress) {
        if (raftAddress == null) {
            return "";
        }
        MemberInfo info = byRaftAddress(raftAddress);
        return info == null ? raftAddress : info.getId();
    }

    private static void checkMember(AddMemberRequest request) {
        if (!Names.isValid(request.getId())) {
            throw new InvalidRequestException("invalid member id \"" + request.getId() + "\": must be " + Names.RULE);
        }
        checkAddress("raft_address", request.getRaftAddress());
        checkAddress("api_address", request.getApiAddress());
    }

    private static void checkAddress(String what, String address) {
        try {
            HostPort.parse(address, true);
        } catch (InvalidValueException e) {
            throw new InvalidRequestException("invalid " + what + ": " + e.getMessage(), e);
        }
    }
}
