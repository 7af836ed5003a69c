package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.AddMemberRequest;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.MembershipResponse;
import io.fulcrum.proto.v1.RemoveMemberRequest;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.TransferLeaderRequest;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Members join and leave while writes continue; a wiped member rejoins and catches up. */
@Timeout(180)
class MembershipTest {

    /** Writes "add upstream w-N" through any reachable member, retrying with the same request id. */
    private static final class Writer implements Runnable {
        private final TestCluster cluster;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger next = new AtomicInteger();
        private final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread = new Thread(this, "writer");

        Writer(TestCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run() {
            while (running.get()) {
                String name = "w-" + next.getAndIncrement();
                ExecRequest request = ExecRequest.newBuilder().setText("add upstream " + name).setRequestId(name).build();
                while (running.get()) {
                    try {
                        var node = cluster.nodes().get(next.get() % cluster.nodes().size());
                        cluster.clients().config(node.apiAddress(), cluster.tokens().operator()).exec(request);
                        acknowledged.add(name);
                        break;
                    } catch (RuntimeException retry) {
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }

    @Test
    void addAFourthMemberAndRemoveAnotherWhileWritesContinue(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            Writer writer = new Writer(cluster);
            writer.thread.start();
            Poll.until(Duration.ofSeconds(20), "some writes", () -> writer.acknowledged.size() > 20);

            var joining = cluster.startJoining("new-cp4");
            var admin = cluster.clients().cluster(cluster.follower().apiAddress(), cluster.tokens().operator());
            MembershipResponse added = admin.addMember(AddMemberRequest.newBuilder().setId("new-cp4")
                    .setRaftAddress(cluster.raftAddress("new-cp4")).setApiAddress(joining.apiAddress()).build());
            assertEquals(4, added.getMembersCount());
            int before = writer.acknowledged.size();
            Poll.until(Duration.ofSeconds(20), "writes go on", () -> writer.acknowledged.size() > before + 20);

            String removed = cluster.follower().id();
            MembershipResponse after = admin.removeMember(RemoveMemberRequest.newBuilder().setId(removed).build());
            assertEquals(Set.of(3), Set.of(after.getMembersCount()));
            assertFalse(after.getMembersList().stream().map(Member::getId).toList().contains(removed));
            cluster.stop(removed);
            int later = writer.acknowledged.size();
            Poll.until(Duration.ofSeconds(20), "writes go on", () -> writer.acknowledged.size() > later + 20);

            writer.running.set(false);
            writer.thread.join(30_000);
            cluster.awaitConverged();
            Set<String> present = cluster.clients().exec(joining.apiAddress(), cluster.tokens().operator(), "list upstream")
                    .getLinesList().stream().collect(Collectors.toSet());
            assertTrue(present.containsAll(writer.acknowledged), "every acknowledged write is on the new member");
            var status = cluster.clients().cluster(joining.apiAddress(), cluster.tokens().viewer())
                    .status(StatusRequest.getDefaultInstance());
            assertEquals(3, status.getMembersCount());
        }
    }

    @Test
    void aWipedMemberRejoinsAndCatchesUp(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String operator = cluster.tokens().operator();
            for (int i = 0; i < 50; i++) {
                cluster.clients().exec(cluster.leader().apiAddress(), operator, "add upstream before-" + i);
            }
            String victim = cluster.follower().id();
            cluster.stop(victim);
            cluster.wipe(victim);
            for (int i = 0; i < 50; i++) {
                cluster.clients().exec(cluster.leader().apiAddress(), operator, "add upstream during-" + i);
            }
            cluster.leader().raft().snapshot().get(30, TimeUnit.SECONDS);
            cluster.start(victim);
            cluster.awaitConverged();
            assertEquals(cluster.leader().state().model(), cluster.node(victim).state().model());
            assertEquals(101, cluster.clients().exec(cluster.api(victim), operator, "list upstream").getLinesCount() + 1);
        }
    }

    @Test
    void leadershipMovesWhereItIsAsked(@TempDir Path dir) {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            var follower = cluster.follower();
            MembershipResponse moved = cluster.clients().cluster(cluster.leader().apiAddress(), cluster.tokens().operator())
                    .transferLeader(TransferLeaderRequest.newBuilder().setId(follower.id()).build());
            assertEquals(follower.id(), moved.getLeaderId());
            Poll.until(Duration.ofSeconds(10), "new leader", () -> follower.raft().isLeader());
            StatusRuntimeException unknown = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> cluster.clients().cluster(follower.apiAddress(), cluster.tokens().operator())
                            .removeMember(RemoveMemberRequest.newBuilder().setId("cp9").build()));
            assertTrue(unknown.getStatus().getDescription().startsWith("no member cp9; members: "), unknown.getMessage());
        }
    }
}
