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
    private final LongAdder splicedIn = new LongAdder();
    private final LongAdder splicedOut = new LongAdder();

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

    /** A direction of a connection switched to splice: {@code in} client to server, else server to client. */
    public void spliced(boolean in) {
        (in ? splicedIn : splicedOut).increment();
    }

    public long splicedIn() {
        return splicedIn.sum();
    }

    public long splicedOut() {
        return splicedOut.sum();
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
