package io.fulcrum.dataplane.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of one listener (by name), kept across config versions; {@link #total()}
 * counts accepted connections.
 */
public final class ListenerStats extends ConnectionStats {
    private final String listener;
    private final LongAdder denied = new LongAdder();
    private final LongAdder unserved = new LongAdder();

    public ListenerStats(String listener) {
        this.listener = listener;
    }

    public String listener() {
        return listener;
    }

    /** A connection refused by the security group. */
    public void denied() {
        denied.increment();
    }

    /** A connection closed because no server could be reached. */
    public void unserved() {
        unserved.increment();
    }

    public long accepted() {
        return total();
    }

    public long deniedCount() {
        return denied.sum();
    }

    public long unservedCount() {
        return unserved.sum();
    }
}
