package io.fulcrum.bench.selection;

import io.fulcrum.dataplane.balance.Candidate;
import io.fulcrum.dataplane.balance.Maglev;
import io.fulcrum.dataplane.balance.Selector;
import io.fulcrum.dataplane.balance.SmoothWeightedRoundRobin;
import io.fulcrum.dataplane.balance.WeightedLeastConnections;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one pick per selection method, with every server available and with some DOWN
 * ({@code percentDown} of them, at least one: 1 of 3, 10 of 100). Run: {@code java -cp 'bench/target/*:bench/target/lib/*' org.openjdk.jmh.Main SelectionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelectionBenchmark {
    /** A server with a fixed weight whose availability the benchmark sets. */
    static final class Server implements Candidate {
        private final String key;
        private final int weight;
        volatile boolean up = true;
        volatile int active;

        Server(String key, int weight) {
            this.key = key;
            this.weight = weight;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public boolean available() {
            return up;
        }

        @Override
        public int activeConnections() {
            return active;
        }

        @Override
        public String hashKey() {
            return key;
        }
    }

    @Param({"3", "100"})
    int servers;

    @Param({"0", "10"})
    int percentDown;

    private Selector<Server> wrr;
    private Selector<Server> wlc;
    private Selector<Server> maglev;
    private InetAddress[] clients;
    private int next;

    @Setup(Level.Trial)
    public void build() throws UnknownHostException {
        Random random = new Random(1);
        int down = percentDown == 0 ? 0 : Math.max(1, servers * percentDown / 100);
        int every = down == 0 ? Integer.MAX_VALUE : servers / down;
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            Server server = new Server("s" + i + "@10.0." + (i / 250) + "." + (i % 250) + ":80", 5 + random.nextInt(20));
            server.active = random.nextInt(100);
            server.up = i % every != every - 1; // 1 of 3, 10 of 100: spread evenly
            list.add(server);
        }
        wrr = new SmoothWeightedRoundRobin<>(list, random);
        wlc = new WeightedLeastConnections<>(list);
        maglev = new Maglev<>(list);
        clients = new InetAddress[1024];
        for (int i = 0; i < clients.length; i++) {
            byte[] address = new byte[4];
            random.nextBytes(address);
            clients[i] = InetAddress.getByAddress(address);
        }
    }

    @Benchmark
    public Server wrr() {
        return wrr.pick(null, List.of());
    }

    @Benchmark
    public Server wlc() {
        return wlc.pick(null, List.of());
    }

    @Benchmark
    public Server maglev() {
        next = (next + 1) & (clients.length - 1);
        return maglev.pick(clients[next], List.of());
    }
}
