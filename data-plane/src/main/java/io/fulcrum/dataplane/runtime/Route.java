package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.metrics.ListenerStats;
import io.fulcrum.dataplane.proxyprotocol.TrustedNetworks;
import io.fulcrum.dataplane.security.SecurityPolicy;
import io.fulcrum.dataplane.tls.SniTermination;

/**
 * A listener (tcp-lb) as one applied config sees it: everything a connection accepted on it needs,
 * read once at accept. Immutable.
 *
 * @param idleTimeoutMs a connection with no traffic for this long is closed
 * @param http what a {@code protocol http} listener needs besides; null for a TCP listener
 * @param proxyFrom the networks whose connections start with a PROXY header
 * @param tls how the listener terminates TLS; null when it does not
 */
public record Route(ListenerSpec spec, UpstreamRoute upstream, SecurityPolicy security, LoopGroup workers,
        LoopGroup acceptors, int idleTimeoutMs, Buffers buffers, ListenerStats stats, HttpRoute http, TrustedNetworks proxyFrom,
        SniTermination tls) {

    public String name() {
        return spec.name();
    }

    /** The listener's port, as security rules see it. */
    public int port() {
        return spec.address().getPort();
    }
}
