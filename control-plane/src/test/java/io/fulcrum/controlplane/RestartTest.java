package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.controlplane.testing.TestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Stopping every member and starting them again loses nothing and reuses no version. */
@Timeout(180)
class RestartTest {

    @Test
    void stopAllThreeAndStartAgainGivesTheSameConfigAndVersion(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String operator = cluster.tokens().operator();
            for (String command : Seed000.commands()) {
                cluster.clients().exec(cluster.follower().apiAddress(), operator, command);
            }
            // a snapshot on one member, then more log entries: restart replays snapshot + log
            cluster.leader().raft().snapshot().get(30, TimeUnit.SECONDS);
            cluster.clients().exec(cluster.leader().apiAddress(), operator, "update server backend2 in server-group ngx weight 7");
            cluster.awaitConverged();
            ConfigModel before = cluster.leader().state().model();

            for (String id : List.of("cp1", "cp2", "cp3")) {
                cluster.stop(id);
            }
            for (String id : List.of("cp1", "cp2", "cp3")) {
                cluster.start(id);
            }
            cluster.awaitReady();
            cluster.awaitConverged();
            for (ControlPlaneNode node : cluster.nodes()) {
                assertEquals(before, node.state().model(), node.id() + ": same config, cluster id and version");
            }
            long next = Long.parseLong(String.valueOf(cluster.clients().exec(cluster.leader().apiAddress(), operator,
                    "add upstream after-restart").getVersion()));
            assertEquals(true, next > before.version(), "versions are never reused");
        }
    }
}
