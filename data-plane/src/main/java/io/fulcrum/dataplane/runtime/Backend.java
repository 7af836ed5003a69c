package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.balance.Candidate;
import io.fulcrum.dataplane.health.HealthPolicy;
import io.fulcrum.dataplane.health.HealthStatus;
import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.dataplane.metrics.ServerStats;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.tls.Origination;
import java.net.InetSocketAddress;

/**
 * A server as one applied config sees it. Its weight and address are fixed; its health and
 * counters are shared with the same server in earlier and later configs.
 */
public final class Backend implements Candidate {
    /** The share a server starts a slow start with (Envoy's default min_weight_percent). */
    public static final double RAMP_FLOOR = 0.1;
    private final ServerKey key;
    private final InetSocketAddress address;
    private final int weight;
    private final HealthPolicy policy;
    private final HealthStatus health;
    private final ServerStats stats;
    private final String hashKey;
    private final ProxyProtocol proxyProtocol;
    private final int priority;
    private final Origination tls;
    private final String hostHeader;
    private final long slowStartNanos;

    /**
     * @param address       null when the host name did not resolve: never picked
     * @param priority      the server's priority: the group's lowest serves, higher ones are backups
     * @param proxyProtocol the header connections to this server start with
     * @param tls           how connections to this server speak TLS; null: plain TCP
     * @param hostHeader    the Host header of HTTP requests to this server; null: the client's
     * @param slowStartMs   the group's slow-start window; 0: none
     */
    public Backend(ServerKey key, InetSocketAddress address, int weight, int priority, HealthPolicy policy, HealthStatus health,
            ServerStats stats, ProxyProtocol proxyProtocol, Origination tls, String hostHeader, int slowStartMs) {
        this.tls = tls;
        this.hostHeader = hostHeader;
        this.priority = priority;
        this.slowStartNanos = slowStartMs * 1_000_000L;
        this.key = key;
        this.address = address;
        this.weight = weight;
        this.policy = policy;
        this.health = health;
        this.stats = stats;
        this.hashKey = key.server() + "@" + key.address();
        this.proxyProtocol = proxyProtocol;
    }

    public ServerKey key() {
        return key;
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public boolean available() {
        return weight > 0 && address != null && !health.isDown();
    }

    /** Linear from {@link #RAMP_FLOOR} to 1 over the slow-start window after the server came back. */
    @Override
    public double rampFactor() {
        if (slowStartNanos == 0) {
            return 1.0;
        }
        long since = health.rampSinceNanos();
        if (since == 0) {
            return 1.0;
        }
        long elapsed = System.nanoTime() - since;
        if (elapsed >= slowStartNanos) {
            return 1.0;
        }
        return Math.max(RAMP_FLOOR, (double) elapsed / slowStartNanos);
    }

    /** True when the group ramps servers that come back (its slow-start window is above 0). */
    public boolean slowStart() {
        return slowStartNanos > 0;
    }

    @Override
    public int activeConnections() {
        return stats.open();
    }

    @Override
    public String hashKey() {
        return hashKey;
    }

    @Override
    public int priority() {
        return priority;
    }

    public HealthPolicy policy() {
        return policy;
    }

    public HealthStatus health() {
        return health;
    }

    public ServerStats stats() {
        return stats;
    }

    /** The PROXY header connections to this server start with ({@link ProxyProtocol#OFF}: none). */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    /** How connections to this server speak TLS (its group's tls); null for plain TCP. */
    public Origination tls() {
        return tls;
    }

    /** The Host header HTTP requests to this server get (its group's host-header); null keeps the client's. */
    public String hostHeader() {
        return hostHeader;
    }

    /** Connects to this server time out after its group's health-check timeout. */
    public int connectTimeoutMs() {
        return policy.timeoutMs();
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
