package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.state.ChangeHistory;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.sync.SyncClient;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.DiffRequest;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.HistoryResponse;
import io.fulcrum.proto.v1.RollbackRequest;
import io.fulcrum.proto.v1.RollbackResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback on a three-member control plane with two data planes in this JVM: across server,
 * upstream and listener changes, through Raft snapshots and a member's restart; and the clear error
 * for a version older than the retained history.
 */
@Timeout(240)
class RollbackIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestCluster cluster;
    private final List<NamedServer> backends = new ArrayList<>();
    private final List<DataPlane> dataPlanes = new ArrayList<>();
    private final List<SyncClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(SyncClient::close);
        dataPlanes.forEach(DataPlane::close);
        backends.forEach(NamedServer::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private void startDataPlanes() {
        List<String> servers = cluster.nodes().stream().map(ControlPlaneNode::apiAddress).toList();
        for (String id : List.of("dp1", "dp2")) {
            DataPlane dataPlane = DataPlane.start(DataPlaneOptions.builder(id).workerLoops(1).build());
            dataPlanes.add(dataPlane);
            clients.add(SyncClient.start(dataPlane, SyncSettings.of(servers, cluster.tokens().dataPlane()), Clock.systemUTC(),
                    new Random(id.hashCode())));
        }
    }

    private ConfigServiceGrpc.ConfigServiceBlockingStub config(ControlPlaneNode node) {
        return cluster.clients().config(node.apiAddress(), cluster.tokens().operator());
    }

    private void exec(String text) {
        cluster.clients().exec((cluster.nodes().size() > 1 ? cluster.follower() : cluster.leader()).apiAddress(), cluster.tokens().operator(), text);
    }

    private static List<String> script(Config config) {
        return ScriptWriter.render(config);
    }

    @Test
    void rollingBackServerUpstreamAndListenerChangesConvergesEveryNodeOnTheOldConfig(@TempDir Path dir) throws Exception {
        cluster = TestCluster.start(dir, 3);
        for (int i = 1; i <= 3; i++) {
            backends.add(NamedServer.start("backend" + i));
        }
        startDataPlanes();
        String listener = "127.0.0.1:" + Ports.free();
        String second = "127.0.0.1:" + Ports.free();
        for (String command : Seed000.commands(backends.stream().map(NamedServer::address).toList(), listener)) {
            if (!command.startsWith("list")) {
                exec(command);
            }
        }
        long good = cluster.leader().state().model().version();
        List<String> goodScript = script(cluster.leader().state().model().toProto());

        exec("update server backend1 in server-group ngx weight 3\nremove server backend3 from server-group ngx");
        exec("add server-group extra timeout 500 period 1000 up 2 down 3\n"
                + "add server moved to server-group extra address " + backends.get(2).address() + "\n"
                + "add upstream other\nadd server-group extra to upstream other weight 5");
        exec("remove tcp-lb lb0\nadd tcp-lb lb0 address " + listener + " upstream other timeout 5000");
        exec("add tcp-lb lb1 address " + second + " upstream backend-groups");
        long changed = cluster.leader().state().model().version();
        Poll.until(WAIT, "both nodes on version " + changed, () -> dataPlanes.stream().allMatch(d -> d.appliedVersion() == changed));
        assertEquals("backend3", LineClient.whoAnswers(dataPlanes.get(0).listenerAddress("lb0").orElseThrow()));

        for (ControlPlaneNode node : cluster.nodes()) {
            node.raft().snapshot().get();
        }
        String restarted = cluster.follower().id();
        cluster.stop(restarted);
        cluster.start(restarted);
        cluster.awaitConverged();

        HistoryResponse history = Poll.value(WAIT, restarted + " answers a linearizable read",
                () -> config(cluster.node(restarted)).history(HistoryRequest.newBuilder().setLimit(4).build()));
        assertEquals(List.of("add tcp-lb lb1 address " + second + " upstream backend-groups"),
                history.getEntries(0).getCommandText().lines().toList(), "the history survived snapshot and restart");
        assertEquals(4, history.getEntriesCount());
        assertEquals(cluster.leader().state().changes().records(), cluster.node(restarted).state().changes().records());
        assertEquals(goodScript, script(config(cluster.node(restarted)).get(GetRequest.newBuilder().setAtVersion(good).build())
                .getConfig()), "Get at a version the restarted member rebuilds from the history");
        List<String> diff = config(cluster.node(restarted)).diff(DiffRequest.newBuilder().setFromVersion(good).build())
                .getCommandsList();
        assertTrue(diff.stream().anyMatch(l -> l.startsWith("add tcp-lb lb1 address " + second)), String.join("\n", diff));

        RollbackResponse dry = config(cluster.follower()).rollback(RollbackRequest.newBuilder().setVersion(good).setDryRun(true).build());
        assertEquals(changed, cluster.leader().state().model().version(), "a dry run commits nothing: " + dry);
        RollbackResponse rollback = config(cluster.follower()).rollback(RollbackRequest.newBuilder().setVersion(good)
                .setRequestId("rb-1").build());
        long rolledBack = rollback.getVersion();
        assertTrue(rolledBack > changed, "a new version, never a reused one: " + rolledBack);
        assertEquals(dry.getChangesList().stream().map(c -> c.getCommand()).toList(),
                rollback.getChangesList().stream().map(c -> c.getCommand()).toList());

        cluster.awaitConverged();
        for (ControlPlaneNode node : cluster.nodes()) {
            assertEquals(goodScript, script(node.state().model().toProto()), node.id() + " holds the config of version " + good);
        }
        Poll.until(WAIT, "both nodes on version " + rolledBack,
                () -> dataPlanes.stream().allMatch(d -> d.appliedVersion() == rolledBack));
        for (DataPlane dataPlane : dataPlanes) {
            assertEquals(goodScript, script(dataPlane.appliedConfig().orElseThrow()), dataPlane.nodeId() + " runs version " + good);
            assertTrue(dataPlane.listenerAddress("lb1").isEmpty(), "lb1 is gone on " + dataPlane.nodeId());
        }
        Set<String> answering = new HashSet<>();
        InetSocketAddress lb0 = dataPlanes.get(1).listenerAddress("lb0").orElseThrow();
        Poll.until(WAIT, "lb0 spreads over backend1..3 again", () -> {
            answering.add(LineClient.whoAnswers(lb0));
            return answering.equals(Set.of("backend1", "backend2", "backend3"));
        });
        var last = config(cluster.leader()).history(HistoryRequest.newBuilder().setLimit(1).build()).getEntries(0);
        assertEquals("rollback " + good, last.getCommandText());
        assertEquals("rb-1", last.getRequestId());
        assertEquals("alice", last.getPrincipal());
    }

    @Test
    void aRollbackOlderThanTheRetainedHistoryFailsClearly(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1);
        exec("add upstream first");
        long first = cluster.leader().state().model().version();
        long started = System.nanoTime();
        for (int i = 0; i <= ChangeHistory.RETAINED; i++) {
            exec("add upstream u" + i);
        }
        System.out.printf("%d single-command batches in %d ms%n", ChangeHistory.RETAINED + 1, (System.nanoTime() - started) / 1_000_000);
        StatusRuntimeException tooOld = assertThrows(StatusRuntimeException.class, () -> config(cluster.leader())
                .rollback(RollbackRequest.newBuilder().setVersion(first).build()));
        assertEquals(Status.Code.NOT_FOUND, tooOld.getStatus().getCode());
        long oldest = cluster.leader().state().changes().oldestVersion();
        assertEquals("version " + first + " is older than the retained history, which starts at version " + oldest
                + " (the last " + ChangeHistory.RETAINED + " changes are kept)", tooOld.getStatus().getDescription());
        RollbackResponse toOldest = config(cluster.leader()).rollback(RollbackRequest.newBuilder().setVersion(oldest).build());
        assertEquals(ChangeHistory.RETAINED, toOldest.getChangesCount(), "the oldest retained version still works");
    }
}
