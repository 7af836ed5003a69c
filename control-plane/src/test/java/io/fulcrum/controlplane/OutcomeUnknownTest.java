package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ExecRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the leader put in its log and then lost its leadership over is "outcome unknown", not
 * "no leader; retry" (issue 22, item 0): blindly retried, it could apply twice. Retried with the
 * same request id it applies exactly once.
 */
@Timeout(120)
class OutcomeUnknownTest {
    @Test
    void aWriteCutOffFromItsQuorumIsOutcomeUnknownAndItsRetryAppliesOnce(@TempDir Path dir) {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            String leader = cluster.leader().id();
            List<String> followers = List.of("cp1", "cp2", "cp3").stream().filter(id -> !id.equals(leader)).toList();
            String leaderApi = cluster.api(leader);
            followers.forEach(cluster::stop);
            ExecRequest write = ExecRequest.newBuilder().setText("add upstream once-only").setRequestId("outcome-1").build();

            StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> cluster.clients()
                    .config(leaderApi, cluster.tokens().operator()).withDeadlineAfter(60, TimeUnit.SECONDS).exec(write));
            assertEquals(Status.Code.UNKNOWN, unknown.getStatus().getCode(), unknown.toString());
            assertTrue(unknown.getStatus().getDescription().startsWith("outcome unknown: "), unknown.getStatus().getDescription());
            assertTrue(unknown.getStatus().getDescription().contains("retry with the same request id"));

            followers.forEach(cluster::start);
            cluster.awaitReady();
            long version = Poll.value(Duration.ofSeconds(30), "the retry is taken", () -> {
                try {
                    return cluster.clients().config(cluster.leader().apiAddress(), cluster.tokens().operator()).exec(write).getVersion();
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                        throw new AssertionError("the retry applied the write a second time: " + e.getStatus());
                    }
                    return null;
                }
            });
            assertTrue(version > 0);
            assertEquals(List.of("once-only"), cluster.clients().exec(cluster.leader().apiAddress(), cluster.tokens().operator(),
                    "list upstream").getLinesList());
        }
    }
}
