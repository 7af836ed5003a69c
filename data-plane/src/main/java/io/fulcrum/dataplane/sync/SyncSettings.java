package io.fulcrum.dataplane.sync;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a data plane follows the control plane.
 *
 * @param servers     control-plane API addresses; the client uses one at a time and moves on when it fails
 * @param token       the data-plane token
 * @param tls         connect with TLS ({@code tlsCa} null: the JVM's trusted CAs)
 * @param labels      sent in Hello, shown by {@code fctl nodes}
 * @param backoffBase first reconnect delay; doubles per failure, with jitter, up to {@code backoffMax}
 *                    (see {@link #backoff()})
 */
public record SyncSettings(List<String> servers, String token, boolean tls, Path tlsCa, Map<String, String> labels,
        Duration backoffBase, Duration backoffMax) {

    public SyncSettings {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("give at least one control-plane address");
        }
        servers = List.copyOf(servers);
        labels = Map.copyOf(labels);
    }

    /** The reconnect delays: from {@code backoffBase}, doubling up to {@code backoffMax}, half of each at random. */
    public ExponentialBackoff backoff() {
        return new ExponentialBackoff(backoffBase, backoffMax, 2.0, 0.5);
    }

    public static SyncSettings of(List<String> servers, String token) {
        return new SyncSettings(servers, token, false, null, Map.of(), Duration.ofMillis(200), Duration.ofSeconds(5));
    }
}
