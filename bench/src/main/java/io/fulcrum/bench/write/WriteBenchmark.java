package io.fulcrum.bench.write;

import io.fulcrum.bench.BenchCluster;
import io.fulcrum.bench.Report;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.ExecRequest;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Control-plane write throughput and latency with 1 and 3 members in this JVM (fsync on, gRPC on
 * loopback, the client talking to the leader): single writes one after another, single writes from
 * 16 concurrent clients, and batches of 100 commands. A write is an {@code update server ... weight}
 * command, acknowledged once committed by a majority and applied. Prints a table and rewrites the
 * writes section of docs/BENCHMARKS.md. Not a test.
 *
 * <pre>java -cp 'bench/target/*:bench/target/lib/*' io.fulcrum.bench.write.WriteBenchmark [docs/BENCHMARKS.md]</pre>
 */
public final class WriteBenchmark {
    private static final int SERVERS = 100;
    private static final int SEQUENTIAL = 2000;
    private static final int CLIENTS = 16;
    private static final int PER_CLIENT = 250;
    private static final int BATCHES = 200;
    private static final int BATCH_SIZE = 100;

    private final BenchCluster cluster;
    private int weight;

    private WriteBenchmark(BenchCluster cluster) {
        this.cluster = cluster;
    }

    public static void main(String[] args) throws Exception {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs/BENCHMARKS.md");
        List<String> rows = new ArrayList<>();
        for (int size : new int[] {1, 3}) {
            try (BenchCluster cluster = BenchCluster.start(Files.createTempDirectory("fulcrum-write-bench"), size)) {
                new WriteBenchmark(cluster).run(size, rows);
            }
        }
        StringBuilder section = new StringBuilder();
        section.append("Run ").append(LocalDate.now()).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, members and clients in one JVM, fsync on; ").append(SERVERS)
                .append(" servers, each write an `update server ... weight`.\n\n")
                .append("| members | mode | mutations | mutations/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        rows.forEach(row -> section.append(row).append('\n'));
        Report.replaceSection(docs, "writes", "WriteBenchmark", section.toString());
    }

    private void run(int size, List<String> rows) throws Exception {
        StringBuilder setup = new StringBuilder("add server-group g timeout 500 period 1000 up 2 down 3 protocol none\n");
        for (int s = 0; s < SERVERS; s++) {
            setup.append("add server s").append(s).append(" to server-group g address 127.0.0.1:").append(10_000 + s)
                    .append('\n');
        }
        cluster.exec(setup.toString());
        sequential(500); // warm-up: the JIT, gRPC's buffers, the log's first segment
        rows.add(row(size, "sequential single writes", SEQUENTIAL, 1, sequential(SEQUENTIAL)));
        rows.add(row(size, CLIENTS + " concurrent clients, single writes", CLIENTS * PER_CLIENT, 1, concurrent()));
        rows.add(row(size, "sequential batches of " + BATCH_SIZE, BATCHES * BATCH_SIZE, BATCH_SIZE, batches()));
        rows.subList(rows.size() - 3, rows.size()).forEach(System.out::println);
    }

    /** Latencies of {@code count} single writes, one after another, plus the elapsed time (last). */
    private long[] sequential(int count) {
        long[] result = new long[count + 1];
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            cluster.exec(nextUpdate(i % SERVERS));
            result[i] = System.nanoTime() - t0;
        }
        result[count] = System.nanoTime() - started;
        return result;
    }

    private long[] concurrent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            List<Future<long[]>> clients = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                ManagedChannel channel = cluster.newChannel();
                channels.add(channel);
                ConfigServiceGrpc.ConfigServiceBlockingStub stub = BenchCluster.stub(channel);
                int server = c;
                clients.add(pool.submit(() -> {
                    long[] latencies = new long[PER_CLIENT];
                    for (int i = 0; i < PER_CLIENT; i++) {
                        long t0 = System.nanoTime();
                        stub.withDeadlineAfter(60, TimeUnit.SECONDS).exec(ExecRequest.newBuilder()
                                .setText("update server s" + server + " in server-group g weight " + (1 + i % 100)).build());
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return latencies;
                }));
            }
            long[] result = new long[CLIENTS * PER_CLIENT + 1];
            for (int c = 0; c < CLIENTS; c++) {
                System.arraycopy(clients.get(c).get(), 0, result, c * PER_CLIENT, PER_CLIENT);
            }
            result[result.length - 1] = System.nanoTime() - started;
            return result;
        } finally {
            pool.shutdownNow();
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private long[] batches() {
        long[] result = new long[BATCHES + 1];
        long started = System.nanoTime();
        for (int b = 0; b < BATCHES; b++) {
            StringBuilder batch = new StringBuilder();
            for (int m = 0; m < BATCH_SIZE; m++) {
                batch.append(nextUpdate(m % SERVERS)).append('\n');
            }
            long t0 = System.nanoTime();
            cluster.exec(batch.toString());
            result[b] = System.nanoTime() - t0;
        }
        result[BATCHES] = System.nanoTime() - started;
        return result;
    }

    private String nextUpdate(int server) {
        weight = weight % 100 + 1;
        return "update server s" + server + " in server-group g weight " + weight;
    }

    /** {@code measured}: request latencies followed by the elapsed time of the whole run. */
    private static String row(int members, String mode, int mutations, int perRequest, long[] measured) {
        long elapsed = measured[measured.length - 1];
        long[] latencies = Arrays.copyOf(measured, measured.length - 1);
        Arrays.sort(latencies);
        return "| " + members + " | " + mode + " | " + String.format("%,d", mutations) + " | "
                + String.format("%,.0f", mutations / (elapsed / 1e9)) + " | " + Report.ms(Report.percentile(latencies, 50))
                + " | " + Report.ms(Report.percentile(latencies, 99)) + " |";
    }
}
