package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.api.AuthTable;
import io.fulcrum.controlplane.testing.Clients;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import io.fulcrum.proto.v1.StatusRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every call is authenticated; roles limit what a token may do; bad requests get actionable errors. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticationTest {
    private TestCluster cluster;
    private String api;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1);
        api = cluster.leader().apiAddress();
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static Status.Code code(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus().getCode();
    }

    @Test
    void noTokenOrAnUnknownTokenIsUnauthenticated() {
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                () -> cluster.clients().exec(api, null, "list upstream"));
        assertEquals(Status.Code.UNAUTHENTICATED, missing.getStatus().getCode());
        assertTrue(missing.getStatus().getDescription().contains("--token"), missing.getMessage());
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> cluster.clients().exec(api, "not-a-token-at-all", "list upstream")));
        assertEquals(Status.Code.UNAUTHENTICATED, code(() -> cluster.clients().cluster(api, null).status(StatusRequest.getDefaultInstance())));
    }

    @Test
    void aViewerReadsButDoesNotWrite() {
        String viewer = cluster.tokens().viewer();
        assertEquals(List.of(), cluster.clients().exec(api, viewer, "list tcp-lb").getLinesList());
        cluster.clients().config(api, viewer).get(GetRequest.getDefaultInstance());
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> cluster.clients().exec(api, viewer, "add upstream u1"));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals("role viewer may not change the config; it needs an operator token", denied.getStatus().getDescription());
    }

    @Test
    void aDataPlaneTokenOnlySyncs() {
        String dataPlane = cluster.tokens().dataPlane();
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> cluster.clients().exec(api, dataPlane, "list upstream")));
        assertEquals(Status.Code.PERMISSION_DENIED,
                code(() -> cluster.clients().cluster(api, dataPlane).status(StatusRequest.getDefaultInstance())));
    }

    @Test
    void malformedRequestsAreInvalidArgumentWithAMessageAPersonCanActOn() {
        String operator = cluster.tokens().operator();
        StatusRuntimeException parse = assertThrows(StatusRuntimeException.class,
                () -> cluster.clients().exec(api, operator, "add server-group g timeout 1 period 1 up two down 1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, parse.getStatus().getCode());
        assertEquals("add server-group g: invalid value for up: must be an integer 1..1000, got \"two\"",
                parse.getStatus().getDescription());
        StatusRuntimeException noTarget = assertThrows(StatusRuntimeException.class, () -> cluster.clients().config(api, operator)
                .apply(ApplyRequest.newBuilder().setBatch(Batch.newBuilder().addMutations(Mutation.newBuilder()
                        .setAction(MutationAction.MUTATION_ACTION_ADD))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noTarget.getStatus().getCode());
        assertTrue(noTarget.getStatus().getDescription().contains("must name its target"), noTarget.getMessage());
        StatusRuntimeException noKind = assertThrows(StatusRuntimeException.class,
                () -> cluster.clients().config(api, operator).list(ListRequest.getDefaultInstance()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noKind.getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> cluster.clients().config(api, operator)
                .exec(ExecRequest.newBuilder().setText("").build())));
    }

    @Test
    void theStandardHealthServiceAnswersWithoutAToken() {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(cluster.clients().channel(api))
                .check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    }

    @Test
    void withoutAnAuthFileANodeGeneratesTokensAndSaysWhere(@TempDir Path dir) throws Exception {
        ControlPlaneSettings settings = ControlPlaneSettings.builder("solo", dir).raft(Ports.loopback())
                .api(Ports.loopback()).election(300, 200).fsync(false).build();
        try (ControlPlaneNode node = ControlPlaneNode.start(settings); Clients clients = new Clients()) {
            assertEquals(dir.resolve(AuthTable.GENERATED_FILE), node.authFile());
            String operator = Files.readAllLines(node.authFile()).stream().filter(l -> l.startsWith("operator "))
                    .findFirst().orElseThrow().split(" ")[1];
            Poll.until(Duration.ofSeconds(20), "leader", () -> node.raft().isLeader());
            Poll.until(Duration.ofSeconds(20), "write accepted",
                    () -> clients.exec(node.apiAddress(), operator, "add upstream gen").getLinesList().equals(List.of("OK")));
            assertEquals(Status.Code.UNAUTHENTICATED, code(() -> clients.exec(node.apiAddress(), null, "list upstream")));
        }
    }
}
