package io.fulcrum.dataplane.proxy;

import io.fulcrum.dataplane.health.CheckResult;
import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.health.TcpCheck;
import io.fulcrum.dataplane.proxyprotocol.ClientEndpoints;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.Buffers;
import io.fulcrum.dataplane.runtime.Route;
import io.fulcrum.dataplane.runtime.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the server connection made for it. Everything here runs on the
 * client's worker loop (the server channel is registered on the same loop), so no field needs
 * synchronization.
 *
 * <p>Life: accepted and reading (what arrives before the server is connected is held, see
 * {@link #hold}); a server is picked and connected; a connect that fails before
 * any byte was forwarded counts as a failed health check of that server and is retried on another
 * server ({@link io.fulcrum.dataplane.runtime.UpstreamRoute#maxAttempts()} in all); once
 * connected both sides relay until both have sent FIN, one side breaks, or nothing moved for the
 * listener's idle timeout.
 *
 * <p>TCP_NODELAY is not set here: the channels have it (sockets made here set it, accepted
 * ones inherit it from the listener).
 */
final class ProxyConnection {
    private final Channel client;
    private final Route route;
    private final Transport transport;
    private final HealthRegistry health;
    private final InetAddress clientAddress;
    private final long idleTimeoutNanos;
    private List<Backend> tried = List.of();
    private List<Object> held = List.of();
    private int heldBytes;
    private boolean clientFinHeld;
    private Backend backend;
    private Channel server;
    private long bytesIn;
    private long bytesOut;
    private long lastActive;
    private ScheduledFuture<?> idleCheck;

    ProxyConnection(Channel client, Route route, Transport transport, HealthRegistry health, InetAddress clientAddress) {
        this.client = client;
        this.route = route;
        this.transport = transport;
        this.health = health;
        this.clientAddress = clientAddress;
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(route.idleTimeoutMs());
    }

    /** Sets the client channel up before it is registered (called on the acceptor loop). */
    void prepare() {
        Buffers buffers = route.buffers();
        ChannelConfig config = client.config();
        config.setRecvByteBufAllocator(buffers.clientReads());
        config.setWriteBufferWaterMark(buffers.clientWrites());
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.pipeline().addLast(new Relay(this, true));
        transport.readFromRegistration(client);
    }

    /**
     * Relays two connected channels of one loop as bytes from now on, with the listener's buffers
     * and idle timeout: an HTTP connection that switched protocols (see
     * {@link io.fulcrum.dataplane.http.ByteRelay}). Their open was counted already; their close is
     * counted here, as for a connection this class made.
     */
    static void relayConnected(Channel client, Channel server, Backend backend, Route route, Transport transport,
            HealthRegistry health) {
        InetAddress clientAddress = ((InetSocketAddress) client.remoteAddress()).getAddress();
        ProxyConnection connection = new ProxyConnection(client, route, transport, health, clientAddress);
        connection.backend = backend;
        connection.server = server;
        server.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.pipeline().addLast(new Relay(connection, true));
        server.pipeline().addLast(new Relay(connection, false));
        connection.lastActive = System.nanoTime();
        connection.scheduleIdleCheck(connection.idleTimeoutNanos);
        server.config().setAutoRead(true);
        if (((DuplexChannel) client).isInputShutdown()) {
            connection.inputShutdown(client, true); // the client sent its FIN while HTTP waited for the 101
        } else {
            client.config().setAutoRead(true);
        }
    }

    /** The client channel is registered on its worker loop. */
    void start() {
        route.stats().opened();
        lastActive = System.nanoTime();
        scheduleIdleCheck(idleTimeoutNanos);
        connectNext();
    }

    private void connectNext() {
        Backend next = route.upstream().pick(clientAddress, tried);
        if (next == null) {
            route.stats().unserved();
            client.close();
            return;
        }
        if (tried.isEmpty()) {
            tried = new ArrayList<>(2);
        }
        tried.add(next);
        SocketChannel channel = transport.newSocketChannel(next.address());
        Buffers buffers = route.buffers();
        ChannelConfig config = channel.config();
        config.setAutoRead(false);
        config.setConnectTimeoutMillis(next.connectTimeoutMs());
        config.setRecvByteBufAllocator(buffers.backendReads());
        config.setWriteBufferWaterMark(buffers.backendWrites());
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast(new Relay(this, false));
        transport.connectFromRegistration(channel);
        client.eventLoop().register(channel);
        channel.connect(next.address()).addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                connectFailed(next, channel, connected.cause());
            } else if (next.tls() == null) {
                established(next, channel);
            } else {
                writeProxyHeader(next, channel); // in clear, before the ClientHello
                next.tls().handshake(channel, next.key().server(), next.address(), next.connectTimeoutMs())
                        .addListener(handshake -> {
                            if (handshake.isSuccess()) {
                                established(next, channel);
                            } else {
                                connectFailed(next, channel, handshake.cause());
                            }
                        });
            }
        });
    }

    private void connectFailed(Backend failed, Channel channel, Throwable cause) {
        // Netty closes the socket of a connect that timed out, not of one that was refused
        channel.close();
        failed.stats().connectFailed();
        if (failed.policy().active()) {
            String reason = TcpCheck.describe(cause, failed.connectTimeoutMs());
            health.record(failed.health(), CheckResult.failed(reason), failed.policy().up(), failed.policy().down());
        }
        if (!client.isActive()) {
            return;
        }
        if (tried.size() < route.upstream().maxAttempts()) {
            connectNext();
        } else {
            route.stats().unserved();
            client.close();
        }
    }

    private void established(Backend chosen, Channel channel) {
        if (!client.isActive()) {
            channel.close();
            return;
        }
        backend = chosen;
        server = channel;
        chosen.stats().opened();
        if (chosen.tls() == null) {
            writeProxyHeader(chosen, channel);
        }
        if (!held.isEmpty()) {
            for (Object message : held) {
                counted(true, message instanceof ByteBuf buffer ? buffer.readableBytes() : 0);
                channel.write(message, channel.voidPromise());
            }
            held = List.of();
            channel.flush();
        }
        channel.config().setAutoRead(true);
        if (clientFinHeld) {
            inputShutdown(client, true);
        } else {
            client.config().setAutoRead(true);
        }
    }

    private void writeProxyHeader(Backend chosen, Channel channel) {
        if (chosen.proxyProtocol() != ProxyProtocol.OFF) {
            chosen.proxyProtocol().write(channel, ClientEndpoints.of(client));
            channel.flush();
        }
    }

    /** True once {@code channel} is one of the two connected sides. */
    boolean relays(Channel channel) {
        return server != null && (channel == server || channel == client);
    }

    /**
     * Keeps what the client sent before the server is connected, up to the listener's
     * in-buffer-size: then the client is paused until the server is connected. The first request
     * usually arrives with the connection, so it is read at once and written as soon as the
     * connect completes. A failed server socket's reads are dropped.
     */
    void hold(Channel channel, Object message) {
        if (channel != client) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (held.isEmpty()) {
            held = new ArrayList<>(2);
        }
        held.add(message);
        heldBytes += message instanceof ByteBuf buffer ? buffer.readableBytes() : 0;
        if (heldBytes >= route.buffers().inBufferSize()) {
            client.config().setAutoRead(false);
        }
    }

    Channel peerOf(boolean fromClient) {
        return fromClient ? server : client;
    }

    void counted(boolean fromClient, int bytes) {
        if (fromClient) {
            bytesIn += bytes;
        } else {
            bytesOut += bytes;
        }
    }

    /** The direction {@code fromClient} (or from the server) switched to splice. */
    void spliced(boolean fromClient) {
        route.stats().spliced(fromClient);
    }

    /**
     * True if what is relayed to {@code channel} may go to its socket directly; false for the
     * client of a TLS listener and a server reached over TLS, whose bytes must pass the SslHandler.
     */
    boolean plainSocket(Channel channel) {
        return channel == client ? route.tls() == null : backend == null || backend.tls() == null;
    }

    /** Makes {@code source} splice into {@code target} where the transport can: whether it splices now. */
    boolean spliceInto(Channel source, Channel target) {
        // a TLS client's bytes are decrypted and encrypted in the pipeline: the kernel cannot move them
        if (route.tls() != null || (backend != null && backend.tls() != null)) {
            return false;
        }
        return transport.spliceInto(source, target);
    }

    /** Traffic moved: pushes the byte counts out and restarts the idle clock. */
    void active() {
        lastActive = System.nanoTime();
        publishBytes();
    }

    private void publishBytes() {
        if ((bytesIn | bytesOut) != 0) {
            route.stats().bytes(bytesIn, bytesOut);
            if (backend != null) {
                backend.stats().bytes(bytesIn, bytesOut);
            }
            bytesIn = 0;
            bytesOut = 0;
        }
    }

    /**
     * {@code channel} sent FIN. The first FIN is passed on (shutdownOutput once what came before
     * it is written); after the second both directions are done and both sockets are closed,
     * which sends the last FIN without a separate shutdown.
     */
    void inputShutdown(Channel channel, boolean fromClient) {
        if (!relays(channel)) {
            if (channel == client) {
                clientFinHeld = true;
            }
            return;
        }
        Channel peer = peerOf(fromClient);
        if (!peer.isActive()) {
            closeBoth();
            return;
        }
        boolean otherWayDone = ((DuplexChannel) peer).isInputShutdown();
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture flushed) -> {
            if (!flushed.isSuccess() || otherWayDone) {
                closeBoth();
                return;
            }
            Transport.shutdownOutput(peer, this::closeBoth);
            // the peer's own FIN will end the connection: Netty may then close it at once instead
            // of shutting its input down first
            peer.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        });
    }

    /** {@code channel} is gone: close the other side once what is queued for it is written. */
    void closed(Channel channel, boolean fromClient) {
        if (fromClient) {
            route.stats().closed();
            publishBytes();
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
            held.forEach(ReferenceCountUtil::release);
            held = List.of();
        } else if (channel == server) {
            backend.stats().closed();
        } else {
            return;
        }
        Channel peer = peerOf(fromClient);
        if (peer != null && peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An I/O error on {@code channel}: the connection ends (a failed server socket's errors do not matter). */
    void failed(Channel channel) {
        if (channel == client || channel == server) {
            closeBoth();
        }
    }

    void closeBoth() {
        client.close();
        if (server != null) {
            server.close();
        }
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = client.eventLoop().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        if (!client.isActive()) {
            return;
        }
        long idle = System.nanoTime() - lastActive;
        if (idle >= idleTimeoutNanos) {
            closeBoth();
        } else {
            scheduleIdleCheck(idleTimeoutNanos - idle);
        }
    }
}
