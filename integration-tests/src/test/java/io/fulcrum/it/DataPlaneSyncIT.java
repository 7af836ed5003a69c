package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Data planes in this JVM follow a three-member control plane: config, traffic, health back. */
@Timeout(180)
class DataPlaneSyncIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestCluster cluster;
    private final List<NamedServer> backends = new ArrayList<>();
    private final List<DataPlane> dataPlanes = new ArrayList<>();
    private final List<SyncClient> clients = new ArrayList<>();
    private String listener;

    @BeforeEach
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 3);
        for (int i = 1; i <= 3; i++) {
            backends.add(NamedServer.start("backend" + i));
        }
        listener = "127.0.0.1:" + Ports.free();
        List<String> servers = cluster.nodes().stream().map(n -> n.apiAddress()).toList();
        for (String id : List.of("dp1", "dp2")) {
            DataPlane dataPlane = DataPlane.start(DataPlaneOptions.builder(id).workerLoops(1).build());
            dataPlanes.add(dataPlane);
            clients.add(SyncClient.start(dataPlane, SyncSettings.of(servers, cluster.tokens().dataPlane()), Clock.systemUTC(),
                    new Random(id.hashCode())));
        }
    }

    @AfterEach
    void stop() {
        clients.forEach(SyncClient::close);
        dataPlanes.forEach(DataPlane::close);
        backends.forEach(NamedServer::close);
        cluster.close();
    }

    private String exec(String text) {
        return String.join("\n", cluster.clients().exec(cluster.follower().apiAddress(), cluster.tokens().operator(), text)
                .getLinesList());
    }

    @Test
    void theSeedConfigReachesBothNodesWhichCarryTrafficAndReportHealthBack() {
        for (String command : Seed000.commands(backends.stream().map(NamedServer::address).toList(), listener)) {
            exec(command);
        }
        long version = cluster.leader().state().model().version();
        Poll.until(WAIT, "both nodes applied version " + version,
                () -> dataPlanes.stream().allMatch(d -> d.appliedVersion() == version));
        Poll.until(WAIT, "both SYNCED", () -> cluster.clients().cluster(cluster.leader().apiAddress(), cluster.tokens().viewer())
                .nodes(NodesRequest.getDefaultInstance()).getNodesList().stream()
                .filter(n -> n.getState() == SyncState.SYNC_STATE_SYNCED).count() == 2);

        Set<String> answering = new HashSet<>();
        for (DataPlane dataPlane : dataPlanes) {
            InetSocketAddress address = dataPlane.listenerAddress("lb0").orElseThrow();
            for (int i = 0; i < 6; i++) {
                answering.add(LineClient.whoAnswers(address));
            }
        }
        assertEquals(Set.of("backend1", "backend2", "backend3"), answering, "both nodes spread traffic over the servers");

        Poll.until(WAIT, "health reported UP", () -> exec("list-detail server in server-group ngx").lines()
                .allMatch(l -> l.endsWith("currently UP")));
        backends.get(1).stop();
        Poll.until(WAIT, "backend2 DOWN on both nodes", () -> exec("list-detail server in server-group ngx").contains(
                "backend2 -> connect-to " + backends.get(1).address() + " weight 10 currently DOWN"));
        var matrix = cluster.clients().cluster(cluster.leader().apiAddress(), cluster.tokens().viewer())
                .health(HealthRequest.newBuilder().setServerGroup("ngx").build());
        assertEquals(2, matrix.getServers(1).getPerNodeCount(), "both nodes report on backend2");
        assertTrue(dataPlanes.stream().allMatch(d -> d.appliedVersion() == version), "health never bumps the version");
    }
}
