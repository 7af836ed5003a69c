package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.Reachability;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Status shows the members the leader cannot reach, asked of the leader or of a follower. */
@Timeout(120)
class MemberReachabilityTest {
    @Test
    void aStoppedFollowerShowsAsUnreachableOnEveryMember(@TempDir Path dir) {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            ControlPlaneNode leader = cluster.leader();
            String leaderId = leader.id();
            Poll.until(Duration.ofSeconds(20), "every member reachable", () -> status(cluster, leaderId).getMembersList()
                    .stream().allMatch(m -> m.getReachability() == Reachability.REACHABILITY_REACHABLE));

            String stopped = cluster.follower().id();
            String survivor = cluster.nodes().stream().map(ControlPlaneNode::id)
                    .filter(id -> !id.equals(leaderId) && !id.equals(stopped)).findFirst().orElseThrow();
            cluster.stop(stopped);

            Member seenByLeader = Poll.value(Duration.ofSeconds(20), stopped + " unreachable on the leader",
                    () -> unreachable(status(cluster, leaderId), stopped));
            assertTrue(seenByLeader.getUnreachableForMs() < 20_000, seenByLeader.toString());
            StatusResponse fromFollower = Poll.value(Duration.ofSeconds(20), stopped + " unreachable on " + survivor,
                    () -> unreachable(status(cluster, survivor), stopped) == null ? null : status(cluster, survivor));
            assertEquals(leaderId, fromFollower.getReachabilityFrom());
            assertEquals(survivor, fromFollower.getNodeId());
            for (Member m : fromFollower.getMembersList()) {
                assertEquals(m.getId().equals(stopped) ? Reachability.REACHABILITY_UNREACHABLE : Reachability.REACHABILITY_REACHABLE,
                        m.getReachability(), m.toString());
            }
            long earlier = unreachable(status(cluster, leaderId), stopped).getUnreachableForMs();
            Poll.until(Duration.ofSeconds(20), "the unreachable time grows",
                    () -> unreachable(status(cluster, leaderId), stopped).getUnreachableForMs() >= earlier + 500);

            cluster.start(stopped);
            Poll.until(Duration.ofSeconds(30), stopped + " reachable again", () -> status(cluster, leaderId).getMembersList()
                    .stream().allMatch(m -> m.getReachability() == Reachability.REACHABILITY_REACHABLE
                            && m.getUnreachableForMs() == 0));
            assertTrue(status(cluster, leaderId).getReachabilityFrom().equals(leaderId));
        }
    }

    private static StatusResponse status(TestCluster cluster, String id) {
        return cluster.clients().cluster(cluster.api(id), cluster.tokens().viewer()).status(StatusRequest.getDefaultInstance());
    }

    private static Member unreachable(StatusResponse status, String id) {
        return status.getMembersList().stream().filter(m -> m.getId().equals(id)
                && m.getReachability() == Reachability.REACHABILITY_UNREACHABLE).findFirst().orElse(null);
    }
}
