package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.proto.v1.ExecRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case issue 22 reported: the leader partitioned one way (it sends, receives nothing from the
 * other members) under a write load without request ids. Its entries reach the followers, it
 * steps down, and the next leader commits them: such a write must never have been answered as
 * "not applied, safe to retry" (UNAVAILABLE). Three members, each in its own network namespace on
 * one bridge; nftables in the leader's namespace drops what the other members send it.
 */
@Timeout(240)
class OneWayPartitionIT {
    private static final int PARTITION_MS = 8000;

    @Test
    void noWriteAnsweredRetryableIsCommittedAndEveryAcknowledgedOneIsKept(@TempDir Path dir) throws Exception {
        Preconditions.require(NetNamespace.available(), "needs root and network namespaces (ip netns, package iproute2)");
        Preconditions.requireExecutable("/usr/sbin/nft", "apt-get install nftables");
        try (Lan lan = Lan.create()) {
            List<Lan.Host> hosts = List.of(lan.join("cp1", 11), lan.join("cp2", 12), lan.join("cp3", 13));
            try (ProcessCluster cluster = ProcessCluster.startOnHosts(hosts, dir, "--election-timeout-ms", "1000")) {
                String leader = cluster.leader();
                Lan.Host leaderHost = (Lan.Host) cluster.host(leader);
                List<String> others = hosts.stream().filter(h -> h != leaderHost).map(Lan.Host::address).toList();
                Writer writer = new Writer(cluster, cluster.api(leader));
                Thread thread = new Thread(writer, "writer");
                thread.start();
                Poll.until(Duration.ofSeconds(20), () -> writer.ok() >= 20, () -> "writes before the partition: " + writer.ok());
                Lan.nft(leaderHost, "add table inet oneway");
                Lan.nft(leaderHost, "add chain inet oneway in { type filter hook input priority 0 ; policy accept ; }");
                Lan.nft(leaderHost, "add rule inet oneway in ip saddr { " + String.join(", ", others) + " } drop");
                long partitioned = System.nanoTime();
                Poll.until(Duration.ofSeconds(30), () -> System.nanoTime() - partitioned > PARTITION_MS * 1_000_000L,
                        () -> "partition");
                Lan.nft(leaderHost, "delete table inet oneway");
                cluster.awaitReady();
                Poll.until(Duration.ofSeconds(30), () -> writer.okSince(partitioned) >= 5,
                        () -> "writes after healing: " + writer.counts());
                writer.stop();
                thread.join(30_000);

                Set<String> committed = new HashSet<>(cluster.exec("list upstream").getLinesList());
                List<String> lostAcknowledged = writer.names("OK").stream().filter(n -> !committed.contains(n)).toList();
                List<String> retryableButCommitted = writer.names("UNAVAILABLE").stream().filter(committed::contains).toList();
                System.out.println("one-way partition of " + leader + " for " + PARTITION_MS + " ms: " + writer.counts()
                        + "; outcome-unknown writes committed: "
                        + writer.names("UNKNOWN").stream().filter(committed::contains).count());
                assertEquals(List.of(), lostAcknowledged, "acknowledged writes missing from the config");
                assertEquals(List.of(), retryableButCommitted, "writes answered UNAVAILABLE (safe to retry) were committed");
                assertTrue(writer.names("UNAVAILABLE").size() + writer.names("UNKNOWN").size() > 0,
                        "the partition was felt: " + writer.counts());
            }
        }
    }


    /** Writes one new upstream at a time to one member, without request ids, and records each outcome. */
    private static final class Writer implements Runnable {
        private final ProcessCluster cluster;
        private final String api;
        private final Map<String, List<String>> byOutcome = new TreeMap<>();
        private final List<long[]> okTimes = new ArrayList<>();
        private volatile boolean stopped;

        Writer(ProcessCluster cluster, String api) {
            this.cluster = cluster;
            this.api = api;
        }

        @Override
        public void run() {
            for (int i = 0; !stopped; i++) {
                String name = "w" + i;
                String outcome;
                try {
                    cluster.clients().config(api, cluster.tokens().operator()).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .exec(ExecRequest.newBuilder().setText("add upstream " + name).build());
                    outcome = "OK";
                } catch (StatusRuntimeException e) {
                    // DEADLINE_EXCEEDED on the client: it gave up, the outcome is unknown to it
                    outcome = e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED ? "UNKNOWN" : e.getStatus().getCode().name();
                }
                synchronized (this) {
                    byOutcome.computeIfAbsent(outcome, k -> new ArrayList<>()).add(name);
                    if (outcome.equals("OK")) {
                        okTimes.add(new long[] {System.nanoTime()});
                    }
                }
                if (!outcome.equals("OK")) {
                    try {
                        Thread.sleep(20); // a client backing off a little, as fctl does
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        void stop() {
            stopped = true;
        }

        synchronized int ok() {
            return okTimes.size();
        }

        synchronized long okSince(long nanos) {
            return okTimes.stream().filter(t -> t[0] - nanos > 0).count();
        }

        synchronized List<String> names(String outcome) {
            return List.copyOf(byOutcome.getOrDefault(outcome, List.of()));
        }

        synchronized String counts() {
            StringBuilder text = new StringBuilder();
            byOutcome.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(' ').append(v.size()));
            return text.toString();
        }
    }
}
