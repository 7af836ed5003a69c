package io.fulcrum.controlplane.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.testing.FakeDataPlane;
import io.fulcrum.controlplane.testing.MutableClock;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.Goodbye;
import io.fulcrum.proto.v1.HealthReport;
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.Heartbeat;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.ServerHealth;
import io.fulcrum.proto.v1.Snapshot;
import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.SyncState;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's side of the sync protocol, driven by scripted data planes. */
@Timeout(120)
class SyncProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final MutableClock clock = new MutableClock();
    private TestCluster cluster;
    private ControlPlaneNode node;

    @BeforeEach
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1, b -> b.clock(clock));
        node = cluster.leader();
        exec("add server-group g timeout 500 period 1000 up 2 down 3\n"
                + "add server s1 to server-group g address 127.0.0.1:20001\n"
                + "add server s2 to server-group g address 127.0.0.1:20002\n"
                + "add server s3 to server-group g address 127.0.0.1:20003");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private long exec(String text) {
        return cluster.clients().exec(node.apiAddress(), cluster.tokens().operator(), text).getVersion();
    }

    private List<String> exec(String text, boolean lines) {
        return cluster.clients().exec(node.apiAddress(), cluster.tokens().operator(), text).getLinesList();
    }

    private FakeDataPlane connect(String id, long applied, String clusterId) {
        return new FakeDataPlane(cluster.clients().channel(node.apiAddress()), cluster.tokens().dataPlane(), id, applied,
                clusterId);
    }

    private DataPlaneNode nodeView(String id) {
        return cluster.clients().cluster(node.apiAddress(), cluster.tokens().viewer()).nodes(NodesRequest.getDefaultInstance())
                .getNodesList().stream().filter(n -> n.getNodeId().equals(id)).findFirst().orElse(null);
    }

    private void awaitState(String id, SyncState state) {
        Poll.until(WAIT, id + " " + state, () -> nodeView(id) != null && nodeView(id).getState() == state);
    }

    @Test
    void aNewNodeGetsTheCommittedConfigAndIsSyncedOnceItAcknowledges() throws Exception {
        long version = node.state().model().version();
        try (FakeDataPlane dp = connect("dp1", 0, "")) {
            Snapshot snapshot = dp.awaitSnapshot(1);
            assertEquals(version, snapshot.getVersion());
            assertEquals(node.state().model().toProto(), Config.parseFrom(snapshot.getConfig()));
            assertEquals(node.state().bootstrap().getClusterId(), snapshot.getClusterId());
            awaitState("dp1", SyncState.SYNC_STATE_STALE);
            dp.ack(snapshot);
            awaitState("dp1", SyncState.SYNC_STATE_SYNCED);
            assertEquals(version, nodeView("dp1").getAppliedVersion());
            assertEquals(0, nodeView("dp1").getLag());
            assertEquals(node.id(), nodeView("dp1").getConnectedTo());
        }
        String metrics = scrape();
        assertTrue(metrics.contains("fulcrum_sync_convergence_seconds_count 1"), metrics);
        assertTrue(metrics.contains("fulcrum_sync_snapshot_bytes " + node.state().model().toProto().getSerializedSize()), metrics);
        assertTrue(metrics.contains("fulcrum_sync_snapshots_sent_total 1"), metrics);
    }

    private String scrape() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, node.metrics().scrape());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aNackedVersionIsNeverResentAndTheNextNewerOneIs() throws Exception {
        try (FakeDataPlane dp = connect("dp1", 0, "")) {
            dp.ack(dp.awaitSnapshot(1));
            long rejected = exec("add upstream u1");
            Snapshot second = dp.awaitSnapshot(2);
            assertEquals(rejected, second.getVersion());
            dp.nack(second, "bind 127.0.0.1:80: address in use");
            awaitState("dp1", SyncState.SYNC_STATE_NACKED);
            assertTrue(scrape().contains("fulcrum_sync_nacks_total 1"));
            assertEquals("bind 127.0.0.1:80: address in use", nodeView("dp1").getLastNack().getError());
            assertEquals(rejected, nodeView("dp1").getLastNack().getVersion());
            // the stream stays quiet: heartbeats, health and another node's traffic bring no re-send
            dp.heartbeat(second.getVersion() - 1);
            try (FakeDataPlane other = connect("dp2", 0, "")) {
                other.ack(other.awaitSnapshot(1));
                awaitState("dp2", SyncState.SYNC_STATE_SYNCED);
            }
            assertEquals(2, dp.snapshots().size());
            long next = exec("add upstream u2");
            Snapshot third = dp.awaitSnapshot(3);
            assertEquals(next, third.getVersion());
            dp.ack(third);
            awaitState("dp1", SyncState.SYNC_STATE_SYNCED);
            assertEquals(List.of(second.getVersion() - 1, rejected, next), node.api().sync().pushedTo("dp1"),
                    "each version pushed once, the rejected one never again");
        }
        // a reconnecting node is not sent the version it rejected either
        try (FakeDataPlane dp = connect("dp3", 0, "")) {
            dp.nack(dp.awaitSnapshot(1), "no");
            awaitState("dp3", SyncState.SYNC_STATE_NACKED);
        }
        try (FakeDataPlane again = connect("dp3", 0, "")) {
            awaitState("dp3", SyncState.SYNC_STATE_NACKED);
            long next = exec("add upstream u3");
            assertEquals(next, again.awaitSnapshot(1).getVersion(), "the first push after reconnecting is the newer version");
        }
    }

    @Test
    void theFleetGoesToEveryNodeWhileTheConfigHasVipsWithTheAddressesTheyReported() {
        try (FakeDataPlane a = connect("dp-a", 0, ""); FakeDataPlane b = connect("dp-b", 0, "")) {
            a.ack(a.awaitSnapshot(1));
            b.ack(b.awaitSnapshot(1));
            long version = exec("add vip v address 10.0.0.50/24 router-id 51");
            a.ack(a.awaitSnapshot(2));
            b.ack(b.awaitSnapshot(2));
            assertTrue(a.snapshots().size() == 2 && a.snapshots().get(1).getVersion() == version);
            a.heartbeat(version, List.of(VipStatus.newBuilder().setVip("v").setNodeAddress("10.0.0.11").build()));
            b.heartbeat(version, List.of(VipStatus.newBuilder().setVip("v").setNodeAddress("10.0.0.12").build()));
            for (FakeDataPlane dp : List.of(a, b)) {
                Poll.until(WAIT, "a fleet with both addresses", () -> !dp.fleets().isEmpty()
                        && dp.fleets().get(dp.fleets().size() - 1).getNodesList().stream()
                                .map(n -> n.getNodeId() + "=" + n.getVipAddressesOrDefault("v", "") + "@" + n.getAppliedVersion())
                                .toList().equals(List.of("dp-a=10.0.0.11@" + version, "dp-b=10.0.0.12@" + version)));
            }
            int sent = a.fleets().size();
            a.heartbeat(version, List.of(VipStatus.newBuilder().setVip("v").setNodeAddress("10.0.0.11").build()));
            long without = exec("remove vip v");
            a.ack(a.awaitSnapshot(3));
            Poll.until(WAIT, "the VIP-less config is applied", () -> nodeView("dp-a").getAppliedVersion() == without);
            assertTrue(a.fleets().size() <= sent + 1, "an unchanged fleet is not sent again: " + a.fleets().size() + " after " + sent);
        }
    }

    @Test
    void versionsCoalesceWhileASnapshotIsUnanswered() {
        try (FakeDataPlane dp = connect("dp1", 0, "")) {
            Snapshot first = dp.awaitSnapshot(1);
            long last = 0;
            for (int i = 0; i < 5; i++) {
                last = exec("add upstream c" + i);
            }
            assertEquals(1, dp.snapshots().size(), "nothing more while the first is unanswered");
            dp.ack(first);
            assertEquals(last, dp.awaitSnapshot(2).getVersion(), "then only the latest");
            dp.ack(dp.snapshots().get(1));
            awaitState("dp1", SyncState.SYNC_STATE_SYNCED);
            assertEquals(2, dp.snapshots().size());
        }
    }

    @Test
    void aMemberBehindTheNodeWaitsUntilItHasCaughtUp() {
        long current = node.state().model().version();
        String clusterId = node.state().bootstrap().getClusterId();
        try (FakeDataPlane dp = connect("dp1", current + 3, clusterId)) {
            long version = current;
            while (version <= current + 3) {
                version = exec("add upstream behind-" + version);
            }
            Snapshot snapshot = dp.awaitSnapshot(1);
            assertEquals(version, snapshot.getVersion());
            assertTrue(dp.snapshots().stream().allMatch(s -> s.getVersion() > current + 3), "never backwards");
        }
    }

    @Test
    void healthIsAggregatedAcrossNodesAndNeverBumpsTheVersion() {
        long version = node.state().model().version();
        try (FakeDataPlane a = connect("dp-a", 0, ""); FakeDataPlane b = connect("dp-b", 0, "")) {
            a.ack(a.awaitSnapshot(1));
            b.ack(b.awaitSnapshot(1));
            a.report(report(true, entry("s1", HealthState.HEALTH_STATE_DOWN), entry("s2", HealthState.HEALTH_STATE_UP)));
            b.report(report(true, entry("s1", HealthState.HEALTH_STATE_UP), entry("s2", HealthState.HEALTH_STATE_UP)));
            Poll.until(WAIT, "partial view", () -> exec("list-detail server in server-group g", true).equals(List.of(
                    "s1 -> connect-to 127.0.0.1:20001 weight 10 currently PARTIAL (1/2 nodes UP)",
                    "s2 -> connect-to 127.0.0.1:20002 weight 10 currently UP",
                    "s3 -> connect-to 127.0.0.1:20003 weight 10 currently UNKNOWN")));
            b.report(report(false, entry("s1", HealthState.HEALTH_STATE_DOWN)));
            Poll.until(WAIT, "down on both", () -> exec("list-detail server in server-group g", true).get(0)
                    .endsWith("currently DOWN"));
            var matrix = cluster.clients().cluster(node.apiAddress(), cluster.tokens().viewer())
                    .health(HealthRequest.newBuilder().setServerGroup("g").build());
            assertEquals(2, matrix.getServers(0).getPerNodeCount());
            assertEquals("connect refused", matrix.getServers(0).getPerNodeOrThrow("dp-a").getReason());
            assertEquals(version, node.state().model().version(), "observations are not config");
        }
    }

    @Test
    void watchCanIncludeHealthTransitions() {
        List<WatchEvent> events = new CopyOnWriteArrayList<>();
        cluster.clients().configAsync(node.apiAddress(), cluster.tokens().viewer())
                .watch(WatchRequest.newBuilder().setIncludeHealth(true).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(WatchEvent value) {
                        events.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        try (FakeDataPlane a = connect("dp-a", 0, "")) {
            a.ack(a.awaitSnapshot(1));
            a.report(report(false, entry("s2", HealthState.HEALTH_STATE_DOWN)));
            WatchEvent event = Poll.value(WAIT, "transition", () -> events.stream().filter(WatchEvent::hasHealthTransition)
                    .findFirst().orElse(null));
            assertEquals("dp-a", event.getHealthTransition().getNodeId());
            assertEquals(HealthState.HEALTH_STATE_DOWN, event.getHealthTransition().getHealth().getState());
            assertEquals(HealthState.HEALTH_STATE_UNKNOWN, event.getHealthTransition().getPrevious());
        }
    }

    @Test
    void aSilentNodeIsDisconnectedAfter15SecondsAndAClosedStreamAtOnce() {
        FakeDataPlane quiet = connect("dp-quiet", 0, "");
        quiet.ack(quiet.awaitSnapshot(1));
        awaitState("dp-quiet", SyncState.SYNC_STATE_SYNCED);
        clock.advance(Duration.ofSeconds(16));
        awaitState("dp-quiet", SyncState.SYNC_STATE_DISCONNECTED);
        quiet.heartbeat(node.state().model().version());
        awaitState("dp-quiet", SyncState.SYNC_STATE_SYNCED);
        quiet.close();
        awaitState("dp-quiet", SyncState.SYNC_STATE_DISCONNECTED);
    }

    @Test
    void listenerCountersFromHeartbeatsAreShownWithTheTimeTheyWereSeen() {
        exec("add upstream counted");
        try (FakeDataPlane dp = connect("dp-counted", 0, "")) {
            dp.ack(dp.awaitSnapshot(1));
            io.fulcrum.proto.v1.ListenerCounters counters = io.fulcrum.proto.v1.ListenerCounters.newBuilder()
                    .setListener("lb0").setConnectionsTotal(120).setOpenConnections(3).setRequestsTotal(900).build();
            dp.send(io.fulcrum.proto.v1.DataPlaneMessage.newBuilder().setHeartbeat(io.fulcrum.proto.v1.Heartbeat.newBuilder()
                    .setReady(true).addListeners(counters)).build());
            Poll.until(WAIT, "the counters replicated", () -> nodeView("dp-counted") != null
                    && nodeView("dp-counted").getListenersList().equals(List.of(counters)));
            assertTrue(nodeView("dp-counted").getLastSeenUnixMs() > 0);
        }
    }

    @Test
    void aDrainingNodeIsShownDrainingAndIsGoneAfterItsGoodbye() {
        FakeDataPlane leaving = connect("dp-leaving", 0, "");
        leaving.ack(leaving.awaitSnapshot(1));
        leaving.report(report(true, entry("s1", HealthState.HEALTH_STATE_UP)));
        awaitState("dp-leaving", SyncState.SYNC_STATE_SYNCED);
        leaving.send(DataPlaneMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setAppliedVersion(node.state().model().version()).setReady(true).setDraining(true)).build());
        awaitState("dp-leaving", SyncState.SYNC_STATE_DRAINING);
        leaving.send(DataPlaneMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason("drained")).build());
        leaving.close();
        Poll.until(WAIT, "dp-leaving gone", () -> nodeView("dp-leaving") == null
                && !node.state().observed().health().containsKey("dp-leaving"));
    }

    private static HealthReport report(boolean full, ServerHealth... entries) {
        return HealthReport.newBuilder().setFull(full).addAllEntries(List.of(entries)).build();
    }

    private static ServerHealth entry(String server, HealthState state) {
        return ServerHealth.newBuilder().setServerGroup("g").setServer(server)
                .setAddress("127.0.0.1:2000" + server.charAt(1)).setState(state)
                .setReason(state == HealthState.HEALTH_STATE_UP ? "2/2 checks ok" : "connect refused").build();
    }
}
