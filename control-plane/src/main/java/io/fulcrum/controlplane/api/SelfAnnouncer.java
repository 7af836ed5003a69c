package io.fulcrum.controlplane.api;

import io.fulcrum.controlplane.internal.Bootstrap;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.proto.v1.AddMemberRequest;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this member known to the cluster: as leader it bootstraps a new cluster (cluster id and
 * peer token) and records its own addresses; as follower it asks the leader to record them. Runs
 * periodically; idempotent.
 */
final class SelfAnnouncer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SelfAnnouncer.class);

    private final MemberInfo self;
    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final LeaderLink leader;
    private final Clock clock;
    private final AtomicBoolean inFlight = new AtomicBoolean();

    SelfAnnouncer(MemberInfo self, RaftServer raft, ClusterStateMachine state, LeaderLink leader, Clock clock) {
        this.self = self;
        this.raft = raft;
        this.state = state;
        this.leader = leader;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            announce();
        } catch (RuntimeException e) {
            inFlight.set(false);
            log.debug("announcement not possible yet: {}", e.getMessage());
        }
    }

    private void announce() {
        boolean bootstrapped = !state.bootstrap().getClusterId().isEmpty();
        boolean known = self.equals(state.members().get(self.getId()));
        if (raft.isLeader() && !bootstrapped) {
            Bootstrap bootstrap = Bootstrap.newBuilder().setClusterId(UUID.randomUUID().toString())
                    .setPeerToken(AuthTable.newToken()).build();
            propose(LogEntry.newBuilder().setBootstrap(bootstrap));
        } else if (raft.isLeader() && !known) {
            propose(LogEntry.newBuilder().setMember(self));
        } else if (!raft.isLeader() && bootstrapped && !known && raft.peers().contains(self.getRaftAddress())) {
            AddMemberRequest request = AddMemberRequest.newBuilder().setId(self.getId()).setRaftAddress(self.getRaftAddress())
                    .setApiAddress(self.getApiAddress()).setAnnounce(true).build();
            Principal member = new Principal("member:" + self.getId(), Role.OPERATOR);
            LeaderLink.<io.fulcrum.proto.v1.MembershipResponse>unary(o -> leader.cluster(member).addMember(request, o)).whenComplete((r, t) -> inFlight.set(false));
        } else {
            inFlight.set(false);
        }
    }

    private void propose(LogEntry.Builder entry) {
        raft.propose(entry.setProposedUnixMs(clock.millis()).build().toByteArray()).whenComplete((r, t) -> inFlight.set(false));
    }
}
