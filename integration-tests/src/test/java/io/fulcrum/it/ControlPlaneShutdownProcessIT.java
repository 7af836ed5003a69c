package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the leader of three control-plane processes under write load: it hands over, loses nothing, exits 0. */
@Timeout(240)
class ControlPlaneShutdownProcessIT {
    private static final Set<Status.Code> RETRIABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.CANCELLED);

    @Test
    void sigtermOnTheLeaderHandsLeadershipOverAndLosesNoAcknowledgedWrite(@TempDir Path dir) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 3)) {
            Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
            Map<Integer, Long> ackedAtNanos = new ConcurrentHashMap<>();
            List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            int total = 600;
            Thread writer = new Thread(() -> {
                int node = 0;
                for (int i = 0; i < total && running.get(); i++) {
                    ExecRequest request = ExecRequest.newBuilder().setText("add upstream s-" + i).setRequestId("s-" + i).build();
                    while (running.get()) {
                        List<String> members = cluster.running();
                        String id = members.get(Math.floorMod(node, members.size()));
                        try {
                            long version = cluster.clients().config(cluster.api(id), cluster.tokens().operator())
                                    .withDeadlineAfter(2, TimeUnit.SECONDS).exec(request).getVersion();
                            acknowledged.put(i, version);
                            ackedAtNanos.put(i, System.nanoTime());
                            break;
                        } catch (StatusRuntimeException e) {
                            if (!RETRIABLE.contains(e.getStatus().getCode())) {
                                unexpected.add("s-" + i + ": " + e.getStatus());
                                break;
                            }
                            node++;
                        }
                    }
                }
            }, "writer");
            writer.start();
            Poll.until(Duration.ofSeconds(60), "200 writes", () -> acknowledged.size() >= 200);
            String leader = cluster.leader();
            List<String> others = cluster.running().stream().filter(id -> !id.equals(leader)).toList();
            long sigterm = System.nanoTime();
            Process stopping = cluster.terminate(leader);
            String next = Poll.value(Duration.ofSeconds(10), "another leader", () -> {
                for (String id : others) {
                    try {
                        StatusResponse status = cluster.status(id);
                        if (status.getRole().equals("LEADER")) {
                            return id;
                        }
                    } catch (StatusRuntimeException e) {
                        // not answering this instant
                    }
                }
                return null;
            });
            long newLeaderMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
            boolean exited = stopping.waitFor(20, TimeUnit.SECONDS);
            long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
            writer.join(TimeUnit.MINUTES.toMillis(3));
            running.set(false);

            List<Long> times = ackedAtNanos.values().stream().sorted().toList();
            long worstGap = 0;
            for (int i = 1; i < times.size(); i++) {
                worstGap = Math.max(worstGap, times.get(i) - times.get(i - 1));
            }
            System.out.println("SIGTERM of leader " + leader + ": " + next + " leads " + newLeaderMs
                    + " ms after the signal; longest stretch without an acknowledged write "
                    + TimeUnit.NANOSECONDS.toMillis(worstGap) + " ms; process exited after " + exitMs + " ms");
            assertTrue(exited, "the member exits");
            assertEquals(0, stopping.exitValue(), "exit status of the stopped leader");
            assertTrue(newLeaderMs < 2000, "a new leader " + newLeaderMs + " ms after SIGTERM (limit 2000 ms)");
            assertEquals(List.of(), unexpected, "only retriable errors");
            assertEquals(total, acknowledged.size());

            String survivor = cluster.running().get(0);
            Poll.until(Duration.ofSeconds(30), "every write visible", () -> cluster.clients()
                    .exec(cluster.api(survivor), cluster.tokens().operator(), "list upstream").getLinesCount() == total);
            Set<String> expected = new HashSet<>();
            acknowledged.keySet().forEach(i -> expected.add("s-" + i));
            assertEquals(expected, new HashSet<>(cluster.clients().exec(cluster.api(survivor), cluster.tokens().operator(),
                    "list upstream").getLinesList()), "every acknowledged write is present, each once");
        }
    }
}
