package io.fulcrum.dataplane.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters of one HTTP route (listener and server group), kept across config versions:
 * requests by status class and a latency histogram with fixed buckets. Updated from every event
 * loop with {@link LongAdder}s; read by the metrics endpoint.
 */
public final class HttpRouteStats {
    /** The group label of requests Fulcrum answered itself before a server group was chosen (400, 404, ...). */
    public static final String NO_GROUP = "-";
    /** Upper bounds of the latency buckets, seconds; the last one is +Inf. */
    static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            Double.POSITIVE_INFINITY};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length - 1];

    static {
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * TimeUnit.SECONDS.toNanos(1));
        }
    }

    private final String listener;
    private final String group;
    private final LongAdder[] byClass = adders(5);
    private final LongAdder[] buckets = adders(BOUNDS_SECONDS.length);
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder upgrades = new LongAdder();

    public HttpRouteStats(String listener, String group) {
        this.listener = listener;
        this.group = group;
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** One request answered with {@code status} (100..599) after {@code nanos}. */
    public void record(int status, long nanos) {
        byClass[Math.min(4, Math.max(0, status / 100 - 1))].increment();
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        buckets[bucket].increment();
        sumNanos.add(nanos);
    }

    /** A connection switched protocols ({@code 101}) and is relayed as bytes from now on. */
    public void upgraded() {
        upgrades.increment();
    }

    /** Connections upgraded so far. */
    public long upgrades() {
        return upgrades.sum();
    }

    public String listener() {
        return listener;
    }

    public String group() {
        return group;
    }

    /** Requests answered with a status of class {@code digit}xx, 1..5. */
    public long requests(int digit) {
        return byClass[digit - 1].sum();
    }

    /** Requests per latency bucket (not cumulative), in the order of {@link #BOUNDS_SECONDS}. */
    long[] bucketCounts() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return counts;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
