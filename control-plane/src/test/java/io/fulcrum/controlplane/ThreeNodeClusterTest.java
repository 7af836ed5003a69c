package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.ApplyResponse;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.ReadConsistency;
import io.fulcrum.proto.v1.ResourceKind;
import io.fulcrum.proto.v1.ResourceRef;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three members in this JVM: writes through a follower, identical replicas, reads, watch, CAS. */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeNodeClusterTest {
    private TestCluster cluster;
    private String token;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 3);
        token = cluster.tokens().operator();
        String follower = cluster.follower().apiAddress();
        for (String command : Seed000.commands()) {
            ExecResponse reply = cluster.clients().exec(follower, token, command);
            if (!command.startsWith("list")) {
                assertEquals(List.of("OK"), reply.getLinesList(), command);
            }
        }
        cluster.awaitConverged();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void seedCommandsSentToAFollowerGiveTheSameConfigOnEveryMember() {
        List<String> rendered = ScriptWriter.render(cluster.leader().state().model().toProto());
        assertEquals(14, rendered.size());
        for (ControlPlaneNode node : cluster.nodes()) {
            assertEquals(rendered, ScriptWriter.render(node.state().model().toProto()), node.id());
            assertEquals(cluster.leader().state().model(), node.state().model(), node.id());
        }
        String clusterId = cluster.leader().state().bootstrap().getClusterId();
        assertFalse(clusterId.isEmpty());
        assertTrue(cluster.nodes().stream().allMatch(n -> n.state().model().clusterId().equals(clusterId)));
    }

    @Test
    void readsOnAFollowerSeeAWriteAcknowledgedJustBefore() {
        String follower = cluster.follower().apiAddress();
        String leader = cluster.leader().apiAddress();
        for (int i = 0; i < 20; i++) {
            cluster.clients().exec(leader, token, "add upstream lin-" + i);
            ExecResponse read = cluster.clients().exec(follower, token, "list upstream");
            assertTrue(read.getLinesList().contains("lin-" + i), "linearizable read on the follower, round " + i);
        }
        ExecResponse local = cluster.clients().config(follower, token).exec(ExecRequest.newBuilder()
                .setText("list upstream").setConsistency(ReadConsistency.READ_CONSISTENCY_LOCAL).build());
        assertEquals(ExecResponse.Kind.KIND_LIST, local.getKind());
    }

    @Test
    void statusShowsMembersLeaderTermAndIndexes() {
        StatusResponse status = cluster.clients().cluster(cluster.follower().apiAddress(), cluster.tokens().viewer())
                .status(StatusRequest.getDefaultInstance());
        assertEquals(3, status.getMembersCount());
        assertEquals(cluster.leader().id(), status.getLeaderId());
        assertTrue(status.getTerm() >= 1);
        assertTrue(status.getCommitIndex() >= status.getConfigVersion());
        assertEquals("FOLLOWER", status.getRole());
        assertTrue(status.getMembersList().stream().allMatch(m -> !m.getApiAddress().isEmpty()));
    }

    @Test
    void getAndListAtTheLatestOrAnEarlierVersion() {
        var stub = cluster.clients().config(cluster.follower().apiAddress(), token);
        long before = stub.get(GetRequest.getDefaultInstance()).getVersion();
        cluster.clients().exec(cluster.follower().apiAddress(), token, "update server backend1 in server-group ngx weight 3");
        var now = stub.get(GetRequest.newBuilder().setRef(ResourceRef.newBuilder()
                .setKind(ResourceKind.RESOURCE_KIND_SERVER).setName("backend1").setParent("ngx")).build());
        assertEquals(3, now.getResource().getServer().getWeight());
        var earlier = stub.get(GetRequest.newBuilder().setAtVersion(before).setRef(ResourceRef.newBuilder()
                .setKind(ResourceKind.RESOURCE_KIND_SERVER).setName("backend1").setParent("ngx")).build());
        assertEquals(before, earlier.getVersion());
        assertEquals(10, earlier.getResource().getServer().getWeight());
        var servers = stub.list(ListRequest.newBuilder().setKind(ResourceKind.RESOURCE_KIND_SERVER).setParent("ngx").build());
        assertEquals(3, servers.getResourcesCount());
        assertEquals(0, stub.get(GetRequest.newBuilder().setAtVersion(1).build()).getConfig().getServerGroupsCount(),
                "older than the models in memory: rebuilt from the retained history");
        StatusRuntimeException ahead = assertThrows(StatusRuntimeException.class,
                () -> stub.get(GetRequest.newBuilder().setAtVersion(now.getVersion() + 1000).build()));
        assertEquals(Status.Code.NOT_FOUND, ahead.getStatus().getCode());
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> stub.get(GetRequest.newBuilder()
                .setRef(ResourceRef.newBuilder().setKind(ResourceKind.RESOURCE_KIND_UPSTREAM).setName("nope")).build()));
        assertEquals("Cannot find upstream with name nope", missing.getStatus().getDescription());
    }

    @Test
    void applyWithExpectedVersionIsCompareAndSetAndDryRunChangesNothing() {
        var stub = cluster.clients().config(cluster.follower().apiAddress(), token);
        long version = stub.get(GetRequest.getDefaultInstance()).getVersion();
        var batch = io.fulcrum.config.command.Script.parse("add upstream cas-1").toBatch();
        ApplyResponse dry = stub.apply(ApplyRequest.newBuilder().setBatch(batch).setDryRun(true).build());
        assertTrue(dry.getDryRun());
        assertEquals(Change.Kind.KIND_CREATED, dry.getChanges(0).getKind());
        assertEquals(version, stub.get(GetRequest.getDefaultInstance()).getVersion(), "dry run changed nothing");

        ApplyResponse applied = stub.apply(ApplyRequest.newBuilder().setBatch(batch.toBuilder().setExpectedVersion(version)).build());
        assertTrue(applied.getVersion() > version);
        StatusRuntimeException stale = assertThrows(StatusRuntimeException.class, () -> stub.apply(ApplyRequest.newBuilder()
                .setBatch(io.fulcrum.config.command.Script.parse("add upstream cas-2").toBatch().toBuilder()
                        .setExpectedVersion(version)).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, stale.getStatus().getCode());
        assertTrue(stale.getStatus().getDescription().contains("expected config version " + version), stale.getMessage());
    }

    @Test
    void aRetriedBatchWithTheSameRequestIdIsAppliedOnce() {
        var stub = cluster.clients().config(cluster.follower().apiAddress(), token);
        ExecRequest request = ExecRequest.newBuilder().setText("add upstream once").setRequestId("req-once-1").build();
        long first = stub.exec(request).getVersion();
        ExecResponse again = stub.exec(request);
        assertEquals(first, again.getVersion(), "the retry reports the first application");
        assertEquals(List.of("OK"), again.getLinesList());
    }

    @Test
    void watchDeliversCommittedChangesInOrderFromAVersionOn() {
        var stub = cluster.clients().configAsync(cluster.follower().apiAddress(), token);
        long from = cluster.leader().state().model().version();
        cluster.clients().exec(cluster.leader().apiAddress(), token, "add upstream w-1");
        List<ConfigChanged> seen = new CopyOnWriteArrayList<>();
        stub.watch(WatchRequest.newBuilder().setFromVersion(from).build(), new StreamObserver<>() {
            @Override
            public void onNext(WatchEvent event) {
                seen.add(event.getConfigChanged());
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        Poll.until(Duration.ofSeconds(10), "history event", () -> seen.size() >= 1);
        cluster.clients().exec(cluster.leader().apiAddress(), token, "add upstream w-2\nadd upstream w-3");
        Poll.until(Duration.ofSeconds(10), "live event", () -> seen.size() >= 2);
        assertEquals("add upstream w-1", seen.get(0).getChanges(0).getCommand());
        assertEquals(List.of("add upstream w-2", "add upstream w-3"),
                seen.get(1).getChangesList().stream().map(Change::getCommand).toList());
        assertEquals("alice", seen.get(1).getPrincipal(), "the principal comes from the token, also through a follower");
        assertTrue(seen.get(0).getVersion() < seen.get(1).getVersion());
    }

    @Test
    void errorsFromTheLeaderReachTheClientThroughAFollower() {
        var stub = cluster.clients().config(cluster.follower().apiAddress(), token);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.exec(ExecRequest.newBuilder()
                .setText("add upstream ok-1\nremove upstream backend-groups").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("line 2: remove upstream backend-groups: upstream backend-groups is used by tcp-lb lb0",
                e.getStatus().getDescription());
        assertFalse(cluster.clients().exec(cluster.leader().apiAddress(), token, "list upstream").getLinesList().contains("ok-1"),
                "nothing of the failed script was applied");
    }
}
