package io.fulcrum.dataplane.proxy;

import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.http.BackendPools;
import io.fulcrum.dataplane.http.ByteRelay;
import io.fulcrum.dataplane.http.HttpConnections;
import io.fulcrum.dataplane.http.HttpFrontend;
import io.fulcrum.dataplane.proxyprotocol.ClientEndpoints;
import io.fulcrum.dataplane.proxyprotocol.ProxyHeaderReader;
import io.fulcrum.dataplane.runtime.Route;
import io.fulcrum.dataplane.runtime.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on a listener's sockets and takes each accepted connection: checks the security group,
 * then hands the connection to a worker loop, where a {@link ProxyConnection} picks a server (or,
 * on a {@code protocol http} listener, an {@link HttpFrontend} routes each request). The route is
 * read once per connection; a config change swaps it for the next connections.
 */
@Sharable
public final class Acceptor extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);

    private final Transport transport;
    private final HealthRegistry health;
    private final BackendPools pools;
    private final HttpConnections httpConnections;
    private final ByteRelay upgrades;
    private volatile Route route;

    public Acceptor(Route route, Transport transport, HealthRegistry health, BackendPools pools,
            HttpConnections httpConnections) {
        this.route = route;
        this.transport = transport;
        this.health = health;
        this.pools = pools;
        this.httpConnections = httpConnections;
        this.upgrades = (client, server, backend, upgraded) -> ProxyConnection.relayConnected(client, server, backend,
                upgraded, transport, health);
    }

    /** The route for connections accepted from now on. */
    public void route(Route next) {
        this.route = next;
    }

    /** The listener's route in the config applied now (HTTP connections read it at every request). */
    public Route route() {
        return route;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Channel child = (Channel) message;
        Route current = route;
        InetSocketAddress remote = (InetSocketAddress) child.remoteAddress();
        if (remote != null && current.proxyFrom().contains(remote.getAddress())) {
            // the client is who the header says: checked and served once it is read, on the worker loop
            ProxyHeaderReader.expect(child, current.idleTimeoutMs(),
                    announced -> serve(announced, current, ClientEndpoints.of(announced).source()));
            transport.readFromRegistration(child);
        } else if (!serve(child, current, remote)) {
            return;
        }
        try {
            current.workers().next().register(child).addListener((ChannelFuture registered) -> {
                if (!registered.isSuccess()) {
                    child.unsafe().closeForcibly();
                }
            });
        } catch (RuntimeException e) {
            child.unsafe().closeForcibly();
        }
    }

    /**
     * Sets {@code child} up for its listener (before it is registered, or on its loop once a PROXY
     * header named its {@code client}); false, and {@code child} closed, when the security group
     * refuses the client.
     */
    private boolean serve(Channel child, Route current, InetSocketAddress client) {
        if (client == null || !current.security().allows(client.getAddress(), current.port())) {
            current.stats().denied();
            if (child.isRegistered()) {
                child.close();
            } else {
                child.unsafe().closeForcibly();
            }
            return false;
        }
        if (current.tls() != null) {
            // first in the pipeline: what follows sees plain bytes; the certificate is this config's
            child.pipeline().addFirst(current.tls().newHandler());
        }
        if (current.http() == null) {
            new ProxyConnection(child, current, transport, health, client.getAddress()).prepare();
        } else {
            HttpFrontend.prepare(child, current, this::route, transport, health, pools, httpConnections, client, upgrades);
        }
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Accept failures (too many open files) repeat at once: pause accepting for a second.
        log.warn("listener {}: accept failed: {}", route.name(), cause.toString());
        Channel server = ctx.channel();
        if (server.config().isAutoRead()) {
            server.config().setAutoRead(false);
            server.eventLoop().schedule(() -> server.config().setAutoRead(true), 1, TimeUnit.SECONDS);
        }
    }
}
