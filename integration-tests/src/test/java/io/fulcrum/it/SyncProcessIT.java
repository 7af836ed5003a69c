package io.fulcrum.it;

import io.fulcrum.config.testing.Preconditions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three control-plane and two data-plane processes: sync under faults, with traffic flowing. */
@Timeout(300)
class SyncProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Resources resources = new Resources();

    @AfterEach
    void stop() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        return resources.add(closeable);
    }

    private static ExecResponse exec(ProcessCluster cluster, String text) {
        return cluster.exec(text);
    }

    private static String lines(ExecResponse response) {
        return String.join("\n", response.getLinesList());
    }

    private static Map<String, DataPlaneNode> nodes(ProcessCluster cluster) {
        return cluster.nodes();
    }

    private static void awaitSynced(ProcessCluster cluster, List<DataPlaneProcess> dataPlanes, long version) {
        Poll.until(WAIT, "every data plane on version " + version, () -> dataPlanes.stream().allMatch(d -> d.configVersion() == version)
                && nodes(cluster).values().stream().filter(n -> n.getState() == SyncState.SYNC_STATE_SYNCED).count()
                == dataPlanes.size());
    }

    private List<NamedServer> backends(InetAddress bind) {
        List<NamedServer> backends = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            backends.add(closing(NamedServer.start("backend" + i, bind)));
        }
        return backends;
    }

    @Test
    void killingTheLeaderAndStoppingTheWholeControlPlaneNeverStopsTraffic(@TempDir Path dir) throws Exception {
        List<NamedServer> backends = backends(InetAddress.getLoopbackAddress());
        ProcessCluster cluster = closing(ProcessCluster.start(dir, 3));
        List<DataPlaneProcess> dataPlanes = List.of(
                closing(DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null)),
                closing(DataPlaneProcess.start("dp2", dir, cluster.apis(), cluster.tokens().file(), null)));
        int port = Ports.free();
        long seeded = 0;
        for (String command : Seed000.commands(backends.stream().map(NamedServer::address).toList(), "127.0.0.1:" + port)) {
            seeded = cluster.clients().exec(cluster.api(cluster.follower()), cluster.tokens().operator(), command).getVersion();
        }
        awaitSynced(cluster, dataPlanes, seeded);

        // both nodes share the listener (SO_REUSEPORT): the kernel spreads the connections over them
        try (Traffic traffic = new Traffic(List.of(new InetSocketAddress("127.0.0.1", port)), 4)) {
            Poll.until(WAIT, "traffic", () -> traffic.requests() > 500);

            String leader = cluster.leader();
            cluster.kill(leader);
            long changed = exec(cluster, "update server backend1 in server-group ngx weight 20").getVersion();
            assertTrue(changed > seeded);
            awaitSynced(cluster, dataPlanes, changed);
            cluster.start(leader);

            // the whole control plane away for 30 s: the data planes serve on
            for (String id : cluster.running()) {
                cluster.stop(id);
            }
            long outageStart = System.nanoTime();
            long before = traffic.requests();
            Poll.until(WAIT, "the nodes say they lost the control plane", () -> dataPlanes.stream()
                    .allMatch(d -> String.valueOf(d.admin("/ready")).startsWith("200 ready; no control plane reachable")));
            Poll.until(Duration.ofSeconds(40), "30 s without a control plane",
                    () -> System.nanoTime() - outageStart > TimeUnit.SECONDS.toNanos(30));
            assertTrue(traffic.requests() > before + 1000, "traffic flowed during the outage");
            assertEquals(0.0, dataPlanes.get(0).metric("fulcrum_sync_connected", ""));
            for (String id : List.of("cp1", "cp2", "cp3")) {
                cluster.start(id);
            }
            cluster.awaitReady();
            long last = exec(cluster, "update server backend2 in server-group ngx weight 30").getVersion();
            awaitSynced(cluster, dataPlanes, last);
            assertEquals(List.of(), traffic.failures(), "no client request failed");
            System.out.println("requests through the data planes during the test: " + traffic.requests());
        }
        for (DataPlaneProcess dataPlane : dataPlanes) {
            List<Long> applied = dataPlane.appliedVersions();
            for (int i = 1; i < applied.size(); i++) {
                assertTrue(applied.get(i) > applied.get(i - 1), dataPlane.id() + " applied versions only increase: " + applied);
            }
            assertTrue(applied.size() >= 3, dataPlane.id() + " applied " + applied);
        }

        backends.get(2).stop();
        Poll.until(WAIT, "backend3 DOWN on both nodes", () -> lines(exec(cluster, "list-detail server in server-group ngx"))
                .contains("backend3 -> connect-to " + backends.get(2).address() + " weight 10 currently DOWN"));
    }

    @Test
    void aNodeThatCannotApplyAChangeNacksItKeepsServingAndIsNotSentItAgain(@TempDir Path dir) throws Exception {
        Preconditions.require(NetNamespace.available(), "needs root and network namespaces (ip netns, package iproute2)");
        NetNamespace namespace = closing(NetNamespace.create(40 + (int) (ProcessHandle.current().pid() % 100)));
        List<NamedServer> backends = backends(InetAddress.getByName("0.0.0.0"));
        ProcessCluster cluster = closing(ProcessCluster.startOn("0.0.0.0", dir, 3));
        DataPlaneProcess here = closing(DataPlaneProcess.start("dp-here", dir, cluster.apis(), cluster.tokens().file(), null));
        List<String> throughVeth = cluster.apis().stream().map(a -> namespace.hostAddress() + a.substring(a.lastIndexOf(':'))).toList();
        DataPlaneProcess there = closing(DataPlaneProcess.start("dp-there", dir, throughVeth, cluster.tokens().file(), namespace));
        int servedPort = Ports.free();
        long good = exec(cluster, String.join("\n",
                "add server-group g timeout 500 period 1000 up 2 down 3",
                "add server b1 to server-group g address " + namespace.hostAddress() + ":" + backends.get(0).port(),
                "add upstream u", "add server-group g to upstream u",
                "add tcp-lb served address 0.0.0.0:" + servedPort + " upstream u")).getVersion();
        awaitSynced(cluster, List.of(here, there), good);

        // a port held inside the namespace only: just that node cannot bind it
        int heldPort = Ports.free();
        Process holder = closing(new ProcessHandleCloser(new ProcessBuilder(namespace.wrap(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                PortHolder.class.getName(), String.valueOf(heldPort)))).start())).process();
        assertEquals("held", new String(holder.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        long rejected = exec(cluster, "add tcp-lb blocked address 0.0.0.0:" + heldPort + " upstream u").getVersion();
        Poll.until(WAIT, "dp-there NACKED, dp-here SYNCED", () -> {
            Map<String, DataPlaneNode> nodes = nodes(cluster);
            return nodes.get("dp-there").getState() == SyncState.SYNC_STATE_NACKED
                    && nodes.get("dp-here").getState() == SyncState.SYNC_STATE_SYNCED
                    && nodes.get("dp-here").getAppliedVersion() == rejected;
        });
        DataPlaneNode nacked = nodes(cluster).get("dp-there");
        assertEquals(rejected, nacked.getLastNack().getVersion());
        assertTrue(nacked.getLastNack().getError().contains(String.valueOf(heldPort)), nacked.getLastNack().getError());
        assertEquals(good, there.configVersion(), "it keeps serving the config it had");
        assertEquals("backend1", LineClient.whoAnswers(new InetSocketAddress(namespace.innerAddress(), servedPort)),
                "and carries its traffic");

        // heartbeats, health reports and reconnects bring no second push of the rejected version
        double received = there.metric("fulcrum_sync_snapshots_total", "result=\"rejected\"");
        assertEquals(1.0, received);
        Poll.until(Duration.ofSeconds(10), "a few heartbeats", () -> nodes(cluster).get("dp-there").getLastSeenUnixMs()
                > nacked.getLastSeenUnixMs() + 4000);
        assertEquals(1.0, there.metric("fulcrum_sync_snapshots_total", "result=\"rejected\""));
        assertEquals(1.0, there.metric("fulcrum_sync_snapshots_total", "result=\"applied\""), "no re-send of anything");

        long next = exec(cluster, "remove tcp-lb blocked").getVersion();
        awaitSynced(cluster, List.of(here, there), next);
    }

    /** Kills a started process when closed. */
    private record ProcessHandleCloser(Process process) implements AutoCloseable {
        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
