package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.ServerKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic counters of one server, kept while the server survives config changes (same group,
 * name and address). The open count is also what weighted least connections balances on.
 */
public final class ServerStats extends ConnectionStats {
    private final ServerKey key;
    private final LongAdder connectFailures = new LongAdder();

    public ServerStats(ServerKey key) {
        this.key = key;
    }

    public ServerKey key() {
        return key;
    }

    public void connectFailed() {
        connectFailures.increment();
    }

    public long connectFailures() {
        return connectFailures.sum();
    }
}
