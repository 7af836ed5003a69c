package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.health.CheckResult;
import io.fulcrum.dataplane.health.TcpCheck;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.HttpSettings;
import io.fulcrum.dataplane.runtime.UpstreamRoute;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a server connection for one exchange: picks a server among the route's links, takes an
 * idle connection to it from the loop's pool or makes one. A connect that fails counts as a
 * failed health check of that server (as for TCP) and the next server is tried, at most
 * {@link UpstreamRoute#maxAttempts()} in all. While a connect is under way and the request is
 * not complete, the client is not read (so its body waits in the socket, not in memory).
 */
final class ServerAcquisition {
    private final HttpFrontend frontend;
    private final HttpSettings settings;
    private final UpstreamRoute candidates;
    private List<Backend> tried = List.of();
    private boolean connecting;

    ServerAcquisition(HttpFrontend frontend, HttpSettings settings, UpstreamRoute candidates) {
        this.frontend = frontend;
        this.settings = settings;
        this.candidates = candidates;
    }

    boolean connecting() {
        return connecting;
    }

    /** Hands {@code exchange} a connection ({@link Exchange#attach}) or tells it none can be had. */
    void acquire(Exchange exchange) {
        Backend next = candidates.pick(frontend.clientAddress(), tried);
        if (next == null) {
            if (tried.isEmpty()) {
                frontend.route().stats().unserved();
            }
            exchange.noServer();
            return;
        }
        if (tried.isEmpty()) {
            tried = new ArrayList<>(2);
        }
        tried.add(next);
        // a connection that started with a PROXY header speaks for its client only: never pooled
        BackendConnection pooled = next.proxyProtocol() == ProxyProtocol.OFF ? frontend.pools().poll(next.key()) : null;
        if (pooled != null) {
            exchange.attach(pooled);
        } else {
            connect(exchange, next);
        }
    }

    /** Makes a new connection to {@code backend} (after a pooled one failed), or tries others if that fails. */
    void connect(Exchange exchange, Backend backend) {
        connecting = true;
        if (!exchange.requestComplete()) {
            frontend.pause(HttpFrontend.PAUSE_CONNECTING);
        }
        BackendConnection fresh = frontend.open(backend, settings);
        fresh.connected().addListener((ChannelFuture connected) -> {
            connecting = false;
            frontend.resume(HttpFrontend.PAUSE_CONNECTING);
            if (!connected.isSuccess()) {
                connectFailed(exchange, backend, connected.cause());
            } else if (exchange.done()) {
                fresh.release(settings);
            } else {
                exchange.attach(fresh);
            }
        });
    }

    private void connectFailed(Exchange exchange, Backend failed, Throwable cause) {
        failed.stats().connectFailed();
        if (failed.policy().active()) {
            frontend.health().record(failed.health(), CheckResult.failed(TcpCheck.describe(cause, failed.connectTimeoutMs())),
                    failed.policy().up(), failed.policy().down());
        }
        if (exchange.done()) {
            return;
        }
        if (tried.size() < candidates.maxAttempts()) {
            acquire(exchange);
        } else {
            exchange.noServer();
        }
    }
}
