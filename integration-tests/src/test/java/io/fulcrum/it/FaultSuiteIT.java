package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.dataplane.lifecycle.LastGood;
import io.fulcrum.dataplane.lifecycle.LastGoodFile;
import io.fulcrum.dataplane.lifecycle.LastGoodStore;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.fulcrum.proto.v1.ReadConsistency;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite (issue 22, items 1 and 2): three control-plane members and two data planes,
 * each in its own network namespace on one bridge, under a write load (no request ids, to any
 * member) and client traffic through both data planes, while faults hit the control plane:
 * a one-way and a two-way partition (nftables), kill -9 and restart, SIGSTOP and SIGCONT. The
 * schedule comes from a printed seed ({@code -Dfulcrum.faults.seed=N} replays it). CI runs every
 * fault kind once; {@code -Dfulcrum.faults.minutes=30} (bin/fault-suite) runs random faults for
 * that long. The checkers are {@link FaultHistory}'s.
 */
@Timeout(value = 2, unit = TimeUnit.HOURS)
class FaultSuiteIT {
    enum Fault { ONE_WAY_PARTITION, PARTITION, KILL, PAUSE, DISK_FULL }

    private static final Duration CONVERGE = Duration.ofSeconds(30);
    /**
     * The fault kinds of a run ({@code -Dfulcrum.faults.kinds=A,B}). DISK_FULL is left out of the
     * default (the CI profile) because a member does not always come back from it: see
     * docs/reliability.md; bin/fault-suite runs it.
     */
    private static final String DEFAULT_KINDS = "ONE_WAY_PARTITION,PARTITION,KILL,PAUSE";
    /** Each member's data directory is a tmpfs of this size, so the disk-full fault can fill it. */
    private static final String DATA_DIR_SIZE = "256m";
    private static final int PORT = io.fulcrum.controlplane.testing.Ports.free();

    private final FaultHistory history = new FaultHistory();
    private final AtomicLong lastOkVersion = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private volatile boolean stopping;
    /** Held by the writer for each write, and by a check that must see no write in flight. */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    private final List<String> violations = new ArrayList<>();

    @Test
    void faultsLoseNoAcknowledgedWriteAndNoDataPlaneGoesBackwards(@TempDir Path dir) throws Exception {
        Preconditions.require(NetNamespace.available(), "needs root and network namespaces (ip netns, package iproute2)");
        Preconditions.requireExecutable("/usr/sbin/nft", "apt-get install nftables");
        long seed = Long.getLong("fulcrum.faults.seed", System.nanoTime());
        long minutes = Long.getLong("fulcrum.faults.minutes", 0);
        List<Fault> kinds = java.util.Arrays.stream(System.getProperty("fulcrum.faults.kinds", DEFAULT_KINDS).split(","))
                .map(String::trim).map(Fault::valueOf).toList();
        System.out.println("fault suite seed " + seed + " (replay: -Dfulcrum.faults.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Thread> threads = new ArrayList<>();
        try (Lan lan = Lan.create(); NamedServer backend = NamedServer.start("b1", InetAddress.getByName(lan.address(1)))) {
            List<Lan.Host> members = List.of(lan.join("cp1", 11), lan.join("cp2", 12), lan.join("cp3", 13));
            for (String id : List.of("cp1", "cp2", "cp3")) {
                Files.createDirectories(dir.resolve(id));
                run(List.of("mount", "-t", "tmpfs", "-o", "size=" + DATA_DIR_SIZE, "tmpfs", dir.resolve(id).toString()));
            }
            Map<String, Lan.Host> planes = new LinkedHashMap<>();
            planes.put("dp1", lan.join("dp1", 21));
            planes.put("dp2", lan.join("dp2", 22));
            try (ProcessCluster cluster = ProcessCluster.startOnHosts(members, dir, "--election-timeout-ms", "1000")) {
                long version = cluster.exec(String.join("\n", "add server-group g timeout 500 period 1000 up 1 down 3",
                        "add server b1 to server-group g address " + backend.address().replace("127.0.0.1", lan.address(1)),
                        "add upstream u", "add server-group g to upstream u",
                        "add tcp-lb web address 0.0.0.0:" + PORT + " upstream u")).getVersion();
                Map<String, DataPlaneProcess> nodes = new LinkedHashMap<>();
                try {
                    planes.forEach((id, host) -> nodes.put(id, DataPlaneProcess.start(id, dir, cluster.apis(),
                            cluster.tokens().file(), host)));
                    nodes.values().forEach(node -> cluster.awaitSynced(node, version));
                    threads.add(start("writer", () -> write(cluster, random.nextLong())));
                    for (Lan.Host host : planes.values()) {
                        threads.add(start("traffic-" + host.name(), () -> traffic(new InetSocketAddress(host.address(), PORT))));
                    }
                    threads.add(start("sampler", () -> sample(dir, nodes.keySet())));
                    Poll.until(Duration.ofSeconds(30), () -> lastOkVersion.get() > version, () -> "first writes");

                    List<Fault> schedule = new ArrayList<>(kinds);
                    Collections.shuffle(schedule, random);
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
                    long longestConvergeMs = 0;
                    int injected = 0;
                    for (int i = 0; i < schedule.size() || System.nanoTime() < deadline; i++) {
                        Fault fault = i < schedule.size() ? schedule.get(i) : kinds.get(random.nextInt(kinds.size()));
                        long heldMs = 3000 + random.nextInt(5000);
                        String target = inject(cluster, fault, heldMs, random);
                        injected++;
                        long healed = System.nanoTime();
                        awaitReadyOrRestart(cluster, target);
                        long ready = System.nanoTime();
                        long converged = converge(cluster, nodes.values());
                        long convergeMs = TimeUnit.NANOSECONDS.toMillis(converged - ready);
                        longestConvergeMs = Math.max(longestConvergeMs, convergeMs);
                        checkAndCompact(cluster);
                        System.out.println("fault " + injected + ": " + fault + " of " + target + " for " + heldMs
                                + " ms; members ready " + TimeUnit.NANOSECONDS.toMillis(ready - healed)
                                + " ms after healing, data planes converged " + convergeMs + " ms later; writes " + history.counts());
                    }
                    stopping = true;
                    for (Thread thread : threads) {
                        thread.join(30_000);
                    }
                    check(cluster, nodes, injected, longestConvergeMs);
                } finally {
                    stopping = true;
                    nodes.values().forEach(DataPlaneProcess::close);
                }
            } finally {
                keepLogs(dir);
                for (String id : List.of("cp1", "cp2", "cp3")) {
                    new ProcessBuilder("umount", "-l", dir.resolve(id).toString()).start().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private void check(ProcessCluster cluster, Map<String, DataPlaneProcess> nodes, int injected, long longestConvergeMs) {
        Set<String> committed = new HashSet<>(cluster.exec("list upstream").getLinesList());
        Map<String, List<Long>> applied = new LinkedHashMap<>();
        nodes.forEach((id, node) -> applied.put(id, node.appliedVersions()));
        Map<String, String> members = Poll.value(CONVERGE, "members at one version", () -> {
            Map<String, String> digests = new LinkedHashMap<>();
            Set<Long> versions = new HashSet<>();
            for (String id : cluster.running()) {
                GetResponse response = cluster.clients().config(cluster.api(id), cluster.tokens().viewer())
                        .get(GetRequest.newBuilder().setConsistency(ReadConsistency.READ_CONSISTENCY_LOCAL).build());
                versions.add(response.getVersion());
                digests.put(id, String.join("\n", ScriptWriter.render(response.getConfig())));
            }
            return versions.size() == 1 ? digests : null;
        });
        violations.addAll(history.checkWrites(committed));
        violations.addAll(FaultHistory.checkIncreasing(applied));
        violations.addAll(history.checkOneConfigPerVersion());
        violations.addAll(FaultHistory.checkMembersAgree(members));
        System.out.println("fault suite summary: " + injected + " faults; writes " + history.counts() + ", "
                + violations.size() + " checker violations; client requests " + requests.get()
                + ", failed " + failedRequests.get() + "; longest convergence " + longestConvergeMs + " ms; applied "
                + applied.values().stream().mapToInt(List::size).sum() + " versions");
        assertEquals(List.of(), violations);
        assertEquals(0, failedRequests.get(), "client requests through the data planes failed during control-plane faults");
        assertTrue(longestConvergeMs < CONVERGE.toMillis());
    }

    /**
     * With no write in flight: checks the writes so far against the committed upstreams, then
     * removes those upstreams in one batch (with a request id, so its retry applies once). The
     * config stays small however long the run; without this a 23-minute run grew to 14,000
     * upstreams and every change and every member's catch-up cost O(config) (issue 20).
     */
    private void checkAndCompact(ProcessCluster cluster) {
        writing.lock();
        try {
            Set<String> committed = new HashSet<>(cluster.exec("list upstream").getLinesList());
            violations.addAll(history.checkAndForgetWrites(committed));
            committed.remove("u");
            if (committed.isEmpty()) {
                return;
            }
            StringBuilder batch = new StringBuilder();
            committed.forEach(name -> batch.append("remove upstream ").append(name).append('\n'));
            ExecRequest request = ExecRequest.newBuilder().setText(batch.toString())
                    .setRequestId("compact-" + System.nanoTime()).build();
            Poll.until(CONVERGE, () -> {
                try {
                    cluster.clients().config(cluster.api(cluster.leader()), cluster.tokens().operator())
                            .withDeadlineAfter(10, TimeUnit.SECONDS).exec(request);
                    return true;
                } catch (StatusRuntimeException e) {
                    return false;
                }
            }, () -> "removing the checked upstreams");
        } finally {
            writing.unlock();
        }
    }

    /** Injects {@code fault}, holds it, heals it; returns the member it hit. */
    private String inject(ProcessCluster cluster, Fault fault, long heldMs, Random random) throws Exception {
        String leader = cluster.leader();
        List<String> all = List.of("cp1", "cp2", "cp3");
        String target = fault == Fault.PARTITION ? all.get(random.nextInt(3)) : leader;
        Lan.Host host = (Lan.Host) cluster.host(target);
        String others = String.join(", ", all.stream().filter(id -> !id.equals(target))
                .map(id -> ((Lan.Host) cluster.host(id)).address()).toList());
        switch (fault) {
            case ONE_WAY_PARTITION -> Lan.nft(host, "add table inet fault", "add chain inet fault in { type filter hook input priority 0 ; }",
                    "add rule inet fault in ip saddr { " + others + " } drop");
            case PARTITION -> Lan.nft(host, "add table inet fault", "add chain inet fault in { type filter hook input priority 0 ; }",
                    "add chain inet fault out { type filter hook output priority 0 ; }",
                    "add rule inet fault in ip saddr { " + others + " } drop", "add rule inet fault out ip daddr { " + others + " } drop");
            case KILL -> cluster.kill(target);
            case PAUSE -> signal(cluster.pid(target), "STOP");
            case DISK_FULL -> System.out.println("disk full: " + fill(dataDir(cluster, target)) + " MB written to the data directory of " + target);
        }
        hold(heldMs);
        switch (fault) {
            case ONE_WAY_PARTITION, PARTITION -> Lan.nft(host, "delete table inet fault");
            case KILL -> cluster.start(target);
            case PAUSE -> signal(cluster.pid(target), "CONT");
            case DISK_FULL -> Files.delete(dataDir(cluster, target).resolve(FILLER));
        }
        return target;
    }

    private static final String FILLER = "filler";

    /** The members' and data planes' logs, kept in integration-tests/target/fault-logs/ (the temp dir goes). */
    private static void keepLogs(Path dir) {
        try (var logs = Files.list(dir)) {
            Path kept = Path.of(System.getProperty("fulcrum.root", ".."), "integration-tests", "target", "fault-logs");
            Files.createDirectories(kept);
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("cannot keep the logs: " + e);
        }
    }

    private static Path dataDir(ProcessCluster cluster, String id) {
        return cluster.dir().resolve(id);
    }

    /** Fills the tmpfs at {@code dir} to the last byte; the MB written. */
    private static int fill(Path dir) throws IOException {
        byte[] block = new byte[1 << 20];
        int written = 0;
        try (var out = Files.newOutputStream(dir.resolve(FILLER))) {
            while (true) {
                out.write(block);
                written++;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return written;
    }

    /**
     * Waits for the cluster; a member that does not come back by itself once its fault is healed
     * (JRaft stops a node whose log write failed, e.g. on a full disk) is restarted, as an operator
     * would, and the log says so: that is a finding, not a failure.
     */
    private static void awaitReadyOrRestart(ProcessCluster cluster, String target) {
        try {
            cluster.awaitReady();
        } catch (AssertionError notBack) {
            System.out.println("member " + target + " did not come back by itself; restarting it: "
                    + notBack.getMessage().lines().findFirst().orElse(""));
            if (cluster.running().contains(target)) {
                cluster.kill(target);
            }
            cluster.start(target);
            cluster.awaitReady();
        }
    }

    /** Waits until every data plane runs a version acknowledged after now; returns when. */
    private long converge(ProcessCluster cluster, java.util.Collection<DataPlaneProcess> nodes) {
        long mark = lastOkVersion.get();
        Poll.until(CONVERGE, () -> lastOkVersion.get() > mark, () -> "a write acknowledged after healing");
        long target = lastOkVersion.get();
        Poll.until(CONVERGE, () -> nodes.stream().allMatch(n -> n.configVersion() >= target),
                () -> "data planes at " + target + ": " + nodes.stream().map(n -> n.id() + "=" + n.configVersion()).toList());
        return System.nanoTime();
    }

    private void write(ProcessCluster cluster, long seed) {
        Random random = new Random(seed);
        List<String> apis = cluster.apis();
        for (int i = 0; !stopping; i++) {
            String name = "w" + i;
            FaultHistory.Outcome outcome = FaultHistory.Outcome.UNKNOWN;
            writing.lock();
            try {
                long version = cluster.clients().config(apis.get(random.nextInt(apis.size())), cluster.tokens().operator())
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .exec(ExecRequest.newBuilder().setText("add upstream " + name).build()).getVersion();
                lastOkVersion.accumulateAndGet(version, Math::max);
                outcome = FaultHistory.Outcome.OK;
            } catch (StatusRuntimeException e) {
                outcome = classify(e.getStatus());
            } finally {
                history.write(name, outcome);
                writing.unlock();
            }
            if (outcome != FaultHistory.Outcome.OK) {
                pause(20);
            }
        }
    }

    /**
     * UNAVAILABLE is "never reached a leader's log" only when a member said so; a transport failure
     * after the request went out (a member killed mid-call) says nothing about the outcome.
     */
    private static FaultHistory.Outcome classify(Status status) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE -> description.startsWith("no leader") || description.startsWith("not the leader")
                    ? FaultHistory.Outcome.RETRYABLE : FaultHistory.Outcome.UNKNOWN;
            case UNKNOWN, DEADLINE_EXCEEDED, CANCELLED -> FaultHistory.Outcome.UNKNOWN;
            default -> FaultHistory.Outcome.FAILED;
        };
    }

    private void traffic(InetSocketAddress address) {
        while (!stopping) {
            requests.incrementAndGet();
            try {
                LineClient.whoAnswers(address);
            } catch (RuntimeException e) {
                failedRequests.incrementAndGet();
                System.out.println("request to " + address + " failed: " + e);
            }
            pause(20);
        }
    }

    private void sample(Path dir, Set<String> nodes) {
        while (!stopping) {
            for (String node : nodes) {
                try {
                    LastGood lastGood = LastGoodFile.decode(Files.readAllBytes(dir.resolve(node + "-state")
                            .resolve(LastGoodStore.FILE_NAME)));
                    history.sample(node, lastGood.version(), String.join("\n", ScriptWriter.render(lastGood.config())));
                } catch (NoSuchFileException e) {
                    // not saved yet
                } catch (IOException | RuntimeException e) {
                    // caught mid-rename: the next sample reads it
                }
            }
            pause(100);
        }
    }


    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        run(List.of("kill", "-" + signal, Long.toString(pid)));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0, command + ": " + output);
    }

    private static void hold(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        Poll.until(Duration.ofMillis(ms + 5000), () -> System.nanoTime() - until >= 0, () -> "holding the fault");
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
