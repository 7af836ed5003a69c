package io.fulcrum.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.testing.FakeDataPlane;
import io.fulcrum.controlplane.testing.MutableClock;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ForgetNodeRequest;
import io.fulcrum.proto.v1.ForgetNodeResponse;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A data plane stopped for good leaves fctl nodes: on request (ForgetNode) or after the limit. */
@Timeout(120)
class ForgetNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aDisconnectedNodeIsForgottenThroughAFollowerAndAConnectedOrUnknownOneIsRefused(@TempDir Path dir) {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            ControlPlaneNode follower = cluster.follower();
            cluster.clients().exec(follower.apiAddress(), cluster.tokens().operator(), "add upstream u1");
            ClusterServiceGrpc.ClusterServiceBlockingStub operator = cluster.clients().cluster(follower.apiAddress(),
                    cluster.tokens().operator());
            FakeDataPlane dp = new FakeDataPlane(cluster.clients().channel(follower.apiAddress()), cluster.tokens().dataPlane(),
                    "dp1", 0, "");
            dp.ack(dp.awaitSnapshot(1));
            Poll.until(WAIT, "dp1 synced", () -> state(operator, "dp1") == SyncState.SYNC_STATE_SYNCED);

            assertStatus(Status.Code.FAILED_PRECONDITION, "data plane dp1 is connected (to " + follower.id()
                    + ", last seen 0 s ago); only a DISCONNECTED node can be forgotten: stop it first", () -> forget(operator, "dp1"));
            assertStatus(Status.Code.NOT_FOUND, "no data plane dp9; known: dp1", () -> forget(operator, "dp9"));
            ClusterServiceGrpc.ClusterServiceBlockingStub viewer = cluster.clients().cluster(follower.apiAddress(),
                    cluster.tokens().viewer());
            assertStatus(Status.Code.PERMISSION_DENIED, "role viewer may not forget a data plane; it needs an operator token",
                    () -> forget(viewer, "dp1"));

            dp.close();
            Poll.until(WAIT, "dp1 disconnected", () -> state(operator, "dp1") == SyncState.SYNC_STATE_DISCONNECTED);
            ForgetNodeResponse forgotten = forget(operator, "dp1");
            assertEquals("dp1", forgotten.getForgotten().getNodeId());
            assertEquals(SyncState.SYNC_STATE_DISCONNECTED, forgotten.getForgotten().getState());
            Poll.until(WAIT, "dp1 gone on every member", () -> cluster.nodes().stream()
                    .allMatch(n -> !n.state().observed().nodes().containsKey("dp1")));
            assertEquals(0, operator.nodes(NodesRequest.getDefaultInstance()).getNodesCount());
            assertStatus(Status.Code.NOT_FOUND, "no data plane dp1; known: none", () -> forget(operator, "dp1"));
        }
    }

    @Test
    void theLeaderForgetsANodeDisconnectedLongerThanTheLimit(@TempDir Path dir) {
        MutableClock clock = new MutableClock();
        try (TestCluster cluster = TestCluster.start(dir, 1, b -> b.clock(clock).forgetDisconnectedAfter(Duration.ofSeconds(10)))) {
            ControlPlaneNode node = cluster.leader();
            cluster.clients().exec(node.apiAddress(), cluster.tokens().operator(), "add upstream u1");
            ClusterServiceGrpc.ClusterServiceBlockingStub viewer = cluster.clients().cluster(node.apiAddress(),
                    cluster.tokens().viewer());
            FakeDataPlane dp = new FakeDataPlane(cluster.clients().channel(node.apiAddress()), cluster.tokens().dataPlane(),
                    "dp-gone", 0, "");
            dp.ack(dp.awaitSnapshot(1));
            dp.close();
            Poll.until(WAIT, "dp-gone disconnected", () -> state(viewer, "dp-gone") == SyncState.SYNC_STATE_DISCONNECTED);
            assertEquals(SyncState.SYNC_STATE_DISCONNECTED, state(viewer, "dp-gone"), "kept before the limit");
            clock.advance(Duration.ofSeconds(11));
            Poll.until(WAIT, "dp-gone forgotten", () -> viewer.nodes(NodesRequest.getDefaultInstance()).getNodesCount() == 0);
        }
    }

    private static ForgetNodeResponse forget(ClusterServiceGrpc.ClusterServiceBlockingStub stub, String node) {
        return stub.forgetNode(ForgetNodeRequest.newBuilder().setNodeId(node).build());
    }

    private static SyncState state(ClusterServiceGrpc.ClusterServiceBlockingStub stub, String node) {
        return stub.nodes(NodesRequest.getDefaultInstance()).getNodesList().stream().filter(n -> n.getNodeId().equals(node))
                .map(n -> n.getState()).findFirst().orElse(null);
    }

    private static void assertStatus(Status.Code code, String description, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertEquals(description, e.getStatus().getDescription());
    }
}
