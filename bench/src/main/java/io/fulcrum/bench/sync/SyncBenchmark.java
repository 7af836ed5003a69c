package io.fulcrum.bench.sync;

import io.fulcrum.bench.BenchCluster;
import io.fulcrum.bench.Report;
import io.fulcrum.config.command.Interpreter;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.sync.SyncClient;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.proto.v1.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast a committed change reaches every data plane: a three-member control plane and N data
 * planes in this JVM (real gRPC streams on loopback, fsync on). Prints a table and rewrites the
 * sync section of docs/BENCHMARKS.md. Not a test.
 *
 * <pre>java -Xmx6g -cp 'bench/target/*:bench/target/lib/*' io.fulcrum.bench.sync.SyncBenchmark [docs/BENCHMARKS.md]</pre>
 */
public final class SyncBenchmark {
    private final BenchCluster cluster;
    private final List<DataPlane> dataPlanes = new ArrayList<>();
    private final List<SyncClient> clients = new ArrayList<>();

    private SyncBenchmark(BenchCluster cluster) {
        this.cluster = cluster;
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs/BENCHMARKS.md");
        SyncBenchmark bench = new SyncBenchmark(BenchCluster.start(Files.createTempDirectory("fulcrum-sync-bench"), 3));
        List<String> rows = new ArrayList<>();
        try {
            bench.exec("add server-group g timeout 500 period 1000 up 2 down 3 protocol none\n"
                    + "add server s1 to server-group g address 127.0.0.1:9\nadd upstream u\nadd server-group g to upstream u");
            for (int nodes : System.getProperty("only-large") != null ? new int[] {20} : new int[] {2, 5, 20}) {
                bench.scaleDataPlanes(nodes);
                bench.measure(20, "warm-up");
                long[] latencies = bench.measure(200, "small");
                rows.add("| " + nodes + " | small (1 server) | 200 | " + Report.ms(Report.percentile(latencies, 50))
                        + " | " + Report.ms(Report.percentile(latencies, 99)) + " | "
                        + Report.ms(latencies[latencies.length - 1]) + " |");
                System.out.println(rows.get(rows.size() - 1));
            }
            Map<String, String> large = bench.largeConfig(rows);
            bench.write(docs, rows, large);
        } finally {
            bench.close();
        }
    }

    private void scaleDataPlanes(int count) {
        List<String> servers = cluster.members().stream().map(ControlPlaneNode::apiAddress).toList();
        while (dataPlanes.size() < count) {
            String id = "dp" + (dataPlanes.size() + 1);
            DataPlane dataPlane = DataPlane.start(DataPlaneOptions.builder(id).workerLoops(1).build());
            dataPlanes.add(dataPlane);
            clients.add(SyncClient.start(dataPlane, SyncSettings.of(servers, BenchCluster.DATA_PLANE_TOKEN), Clock.systemUTC(),
                    new Random(id.hashCode())));
        }
        long version = cluster.members().get(0).state().model().version();
        awaitApplied(version);
    }

    private long exec(String text) {
        return cluster.exec(text);
    }

    /** Commit-to-every-node-applied latencies, nanoseconds, sorted. */
    private long[] measure(int changes, String what) {
        long[] latencies = new long[changes];
        for (int i = 0; i < changes; i++) {
            long version = exec("update server s1 in server-group g weight " + (1 + i % 100));
            long committed = System.nanoTime();
            awaitApplied(version);
            latencies[i] = System.nanoTime() - committed;
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private void awaitApplied(long version) {
        awaitApplied(version, 60);
    }

    private void awaitApplied(long version, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (dataPlanes.stream().anyMatch(d -> d.appliedVersion() < version)) {
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder();
                for (int i = 0; i < dataPlanes.size(); i++) {
                    why.append("\n  ").append(dataPlanes.get(i).nodeId()).append(" applied ")
                            .append(dataPlanes.get(i).appliedVersion()).append(clients.get(i).connected() ? " connected to "
                            + clients.get(i).connectedTo() : " disconnected");
                }
                List<ControlPlaneNode> members = cluster.members();
                io.fulcrum.controlplane.state.DataPlaneView.nodes(members.get(0).state(), System.currentTimeMillis())
                        .forEach(n -> why.append("\n  control plane sees ").append(n.getNodeId()).append(' ')
                                .append(n.getState()).append(" applied ").append(n.getAppliedVersion()).append(" pushed ")
                                .append(members.stream().map(m -> m.id() + "=" + tail(m.api().sync().pushedTo(n.getNodeId())))
                                        .toList()));
                throw new IllegalStateException("version " + version + " did not reach every data plane in " + seconds + " s:"
                        + why);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** 10,000 servers in 1,000 groups: size, apply time, and a one-server change to 20 nodes. */
    private Map<String, String> largeConfig(List<String> rows) {
        String script = largeScript();
        Map<String, String> facts = new LinkedHashMap<>();
        Interpreter local = new Interpreter();
        local.exec(script);
        Config big = local.model().toProto();
        facts.put("snapshot size", String.format("%,d bytes (%.1f bytes per server)", big.getSerializedSize(),
                big.getSerializedSize() / 10_000.0));
        facts.put("data-plane apply time, standalone (median of 5)", Report.ms(standaloneApply(big)) + " ms");

        long started = System.nanoTime();
        long version = exec(script);
        long committed = System.nanoTime();
        awaitApplied(version, 300);
        long reachedAll = System.nanoTime();
        facts.put("committing the 22,000-command batch", Report.ms(committed - started) + " ms");
        facts.put("from that commit to all 20 nodes applied", Report.ms(reachedAll - committed) + " ms");
        long[] latencies = new long[10];
        for (int i = 0; i < latencies.length; i++) {
            long v = exec("update server b0 in server-group big0 weight " + (2 + i));
            long t0 = System.nanoTime();
            awaitApplied(v, 300);
            latencies[i] = System.nanoTime() - t0;
        }
        Arrays.sort(latencies);
        rows.add("| 20 | large (10,000 servers) | 10 | " + Report.ms(Report.percentile(latencies, 50)) + " | "
                + Report.ms(Report.percentile(latencies, 99)) + " | " + Report.ms(latencies[latencies.length - 1]) + " |");
        System.out.println(rows.get(rows.size() - 1));
        facts.forEach((k, v) -> System.out.println(k + ": " + v));
        return facts;
    }

    private static String largeScript() {
        StringBuilder script = new StringBuilder();
        for (int g = 0; g < 1000; g++) {
            script.append("add server-group big").append(g).append(" timeout 500 period 1000 up 2 down 3 protocol none\n");
            for (int s = 0; s < 10; s++) {
                script.append("add server b").append(s).append(" to server-group big").append(g).append(" address 10.")
                        .append(g / 250).append('.').append(g % 250).append('.').append(s + 1).append(":8080\n");
            }
            script.append("add upstream ups").append(g).append('\n')
                    .append("add server-group big").append(g).append(" to upstream ups").append(g).append('\n');
        }
        return script.toString();
    }

    /** Median time of DataPlane.apply for {@code config} on a node of its own (successive versions). */
    private static long standaloneApply(Config config) {
        long[] times = new long[5];
        try (DataPlane node = DataPlane.start(DataPlaneOptions.builder("apply-timer").workerLoops(1).build())) {
            for (int i = 0; i < times.length; i++) {
                Config next = config.toBuilder().setVersion(i + 1).build();
                long t0 = System.nanoTime();
                if (!node.apply(next).isApplied()) {
                    throw new IllegalStateException("the large config does not apply");
                }
                times[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    private void write(Path docs, List<String> rows, Map<String, String> large) throws IOException {
        StringBuilder section = new StringBuilder();
        section.append("Run ").append(LocalDate.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, everything in one JVM (3 control-plane members with fsync, N data planes).\n\n");
        section.append("| data planes | config | changes | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        rows.forEach(r -> section.append(r).append('\n'));
        section.append('\n');
        large.forEach((k, v) -> section.append("- ").append(k).append(": ").append(v).append('\n'));
        Report.replaceSection(docs, "sync", "SyncBenchmark", section.toString());
    }

    private static List<Long> tail(List<Long> versions) {
        return versions.subList(Math.max(0, versions.size() - 3), versions.size());
    }

    private void close() {
        clients.forEach(SyncClient::close);
        dataPlanes.forEach(DataPlane::close);
        cluster.close();
    }
}
