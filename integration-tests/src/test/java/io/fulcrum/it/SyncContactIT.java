package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.sync.SyncClient;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connected node whose config does not change still hears from its member: every heartbeat is
 * answered, so {@code fulcrum_sync_seconds_since_contact} stays below the heartbeat interval
 * (2 s) instead of counting up from the last snapshot.
 */
@Timeout(90)
class SyncContactIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Four heartbeat intervals and a half. */
    private static final Duration IDLE = Duration.ofMillis(9_000);
    private TestCluster cluster;
    private DataPlane dataPlane;
    private SyncClient client;

    @BeforeEach
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1);
        cluster.clients().exec(cluster.leader().apiAddress(), cluster.tokens().operator(), "add upstream u1");
        dataPlane = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());
        client = SyncClient.start(dataPlane, SyncSettings.of(List.of(cluster.leader().apiAddress()), cluster.tokens().dataPlane()),
                Clock.systemUTC(), new Random(1));
    }

    @AfterEach
    void stop() {
        client.close();
        dataPlane.close();
        cluster.close();
    }

    @Test
    void anIdleSyncedNodeKeepsHearingFromTheControlPlane() {
        Poll.until(WAIT, "dp1 SYNCED", () -> state() == SyncState.SYNC_STATE_SYNCED);
        long version = dataPlane.appliedVersion();
        double worst = 0;
        long deadline = System.nanoTime() + IDLE.toNanos();
        while (System.nanoTime() < deadline) {
            worst = Math.max(worst, Metrics.value(dataPlane.metrics(), "fulcrum_sync_seconds_since_contact"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertTrue(worst >= 0 && worst < 3, "seconds since contact reached " + worst + " on an idle, connected node");
        assertEquals(1, Metrics.value(dataPlane.metrics(), "fulcrum_sync_connected"));
        assertEquals(version, dataPlane.appliedVersion(), "no config change meanwhile: heartbeat answers only");
        assertEquals(SyncState.SYNC_STATE_SYNCED, state());
    }

    private SyncState state() {
        return cluster.clients().cluster(cluster.leader().apiAddress(), cluster.tokens().viewer())
                .nodes(NodesRequest.getDefaultInstance()).getNodesList().stream()
                .filter(n -> n.getNodeId().equals("dp1")).map(DataPlaneNode::getState).findFirst().orElse(null);
    }
}
