package io.fulcrum.dataplane.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The connection and byte counters a listener and a server both have. Updated from every event
 * loop; read by the metrics endpoint.
 */
public abstract class ConnectionStats {
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder total = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public void opened() {
        open.incrementAndGet();
        total.increment();
    }

    public void closed() {
        open.decrementAndGet();
    }

    /** Bytes relayed: {@code in} client to server, {@code out} server to client. */
    public void bytes(long in, long out) {
        if (in != 0) {
            bytesIn.add(in);
        }
        if (out != 0) {
            bytesOut.add(out);
        }
    }

    public int open() {
        return open.get();
    }

    /** Connections opened since the counters exist. */
    public long total() {
        return total.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }
}
