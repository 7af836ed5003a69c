package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.ReadConsistency;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three control-plane processes: replication, a kill -9 of the leader under load, a full restart. */
@Timeout(300)
class ControlPlaneProcessIT {
    private static final Set<Status.Code> RETRIABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

    private static Config localConfig(ProcessCluster cluster, String id) {
        return cluster.clients().config(cluster.api(id), cluster.tokens().viewer()).get(GetRequest.newBuilder()
                .setConsistency(ReadConsistency.READ_CONSISTENCY_LOCAL).build()).getConfig();
    }

    private static void awaitIdentical(ProcessCluster cluster) {
        Poll.until(Duration.ofSeconds(30), "identical config on every member", () -> {
            Set<Config> configs = new HashSet<>();
            cluster.running().forEach(id -> configs.add(localConfig(cluster, id)));
            return configs.size() == 1;
        });
    }

    @Test
    void seedCommandsThroughAFollowerReplicateAndSurviveAFullRestart(@TempDir Path dir) {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3)) {
            String follower = cluster.follower();
            for (String command : Seed000.commands()) {
                cluster.clients().exec(cluster.api(follower), cluster.tokens().operator(), command);
            }
            awaitIdentical(cluster);
            Config before = localConfig(cluster, "cp1");
            assertEquals(14, ScriptWriter.render(before).size());
            for (String id : List.of("cp1", "cp2", "cp3")) {
                assertEquals(ScriptWriter.render(before), ScriptWriter.render(localConfig(cluster, id)), id);
            }

            for (String id : List.of("cp1", "cp2", "cp3")) {
                cluster.stop(id);
            }
            for (String id : List.of("cp1", "cp2", "cp3")) {
                cluster.start(id);
            }
            cluster.awaitReady();
            awaitIdentical(cluster);
            for (String id : List.of("cp1", "cp2", "cp3")) {
                assertEquals(before, localConfig(cluster, id), id + ": same config and version after the restart");
            }
        }
    }

    @Test
    void killingTheLeaderUnderWriteLoadLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3)) {
            Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
            Map<Integer, Long> ackedAtNanos = new ConcurrentHashMap<>();
            List<String> unexpected = new ArrayList<>();
            AtomicLong killedAtNanos = new AtomicLong();
            Thread writer = new Thread(() -> {
                int node = 0;
                for (int i = 0; i < 1000; i++) {
                    ExecRequest request = ExecRequest.newBuilder().setText("add upstream k-" + i).setRequestId("k-" + i).build();
                    while (true) {
                        List<String> running = cluster.running();
                        String id = running.get(Math.floorMod(node, running.size()));
                        try {
                            long version = cluster.clients().config(cluster.api(id), cluster.tokens().operator())
                                    .withDeadlineAfter(2, TimeUnit.SECONDS).exec(request).getVersion();
                            acknowledged.put(i, version);
                            ackedAtNanos.put(i, System.nanoTime());
                            break;
                        } catch (StatusRuntimeException e) {
                            if (!RETRIABLE.contains(e.getStatus().getCode())) {
                                unexpected.add("k-" + i + ": " + e.getStatus());
                                break;
                            }
                            node++;
                        }
                    }
                }
            }, "writer");
            writer.start();
            Poll.until(Duration.ofSeconds(60), "300 writes", () -> acknowledged.size() >= 300);
            String leader = cluster.leader();
            killedAtNanos.set(System.nanoTime());
            cluster.kill(leader);
            writer.join(TimeUnit.MINUTES.toMillis(4));

            assertEquals(List.of(), unexpected, "only retriable errors: a retry is never applied twice");
            assertEquals(1000, acknowledged.size());
            // the unavailability the kill caused: the longest stretch without any acknowledgment
            List<Long> times = ackedAtNanos.values().stream().sorted().toList();
            long worstGap = 0;
            long worstGapEnd = 0;
            for (int i = 1; i < times.size(); i++) {
                long gap = times.get(i) - times.get(i - 1);
                if (gap > worstGap) {
                    worstGap = gap;
                    worstGapEnd = times.get(i);
                }
            }
            long gapMs = TimeUnit.NANOSECONDS.toMillis(worstGap);
            long sinceKillMs = TimeUnit.NANOSECONDS.toMillis(worstGapEnd - killedAtNanos.get());
            System.out.println("kill -9 of leader " + leader + ": longest stretch without an acknowledged write " + gapMs
                    + " ms; writes flowing again " + sinceKillMs + " ms after the kill");
            assertTrue(worstGapEnd > killedAtNanos.get(), "the longest stall is the one the kill caused");
            assertTrue(sinceKillMs < 2000, "writes resumed " + sinceKillMs + " ms after the kill (limit 2000 ms)");

            awaitIdentical(cluster);
            String survivor = cluster.running().get(0);
            List<String> upstreams = cluster.clients().exec(cluster.api(survivor), cluster.tokens().operator(), "list upstream")
                    .getLinesList();
            Set<String> expected = new HashSet<>();
            acknowledged.keySet().forEach(i -> expected.add("k-" + i));
            assertEquals(expected, new HashSet<>(upstreams), "every acknowledged write is present");
            assertEquals(1000, upstreams.size(), "each exactly once");
            List<Long> versions = new ArrayList<>(new TreeMap<>(acknowledged).values());
            for (int i = 1; i < versions.size(); i++) {
                assertTrue(versions.get(i) > versions.get(i - 1), "batch " + i + " has its own, later version");
            }
        }
    }
}
