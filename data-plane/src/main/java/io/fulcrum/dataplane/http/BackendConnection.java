package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.dataplane.proxyprotocol.ClientEndpoints;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.Buffers;
import io.fulcrum.dataplane.runtime.HttpSettings;
import io.fulcrum.dataplane.runtime.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection to a server for HTTP requests, one request at a time: attached to an
 * {@link Exchange} while it serves one, idle in its loop's {@link LoopPools} between requests.
 * Whatever it reads or suffers goes to the attached exchange; data from the server while idle is a
 * protocol error and closes it. Lives on one event loop.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {
    private final Channel channel;
    private final Backend backend;
    private final LoopPools pools;
    private final ResponseDecoder decoder;
    /** The client this connection was made for when it starts with a PROXY header (then never pooled); else null. */
    private final ClientEndpoints announcing;
    private ChannelFuture connected;
    private Exchange exchange;
    private boolean served;
    private boolean counted;
    private long idleUntil;

    private BackendConnection(Channel channel, Backend backend, LoopPools pools, ResponseDecoder decoder,
            ClientEndpoints announcing) {
        this.channel = channel;
        this.announcing = announcing;
        this.backend = backend;
        this.pools = pools;
        this.decoder = decoder;
    }

    /**
     * Starts connecting to {@code backend} on {@code loop} (called on that loop, so registering is
     * immediate); {@link #connected()} tells how it went. {@code client}: whom the PROXY header
     * names when the server's group sends one, else null.
     */
    static BackendConnection open(Transport transport, EventLoop loop, Backend backend, Buffers buffers,
            HttpSettings settings, LoopPools pools, ClientEndpoints client) {
        Channel channel = transport.newSocketChannel(backend.address());
        ChannelConfig config = channel.config();
        config.setConnectTimeoutMillis(backend.connectTimeoutMs());
        config.setRecvByteBufAllocator(buffers.backendReads());
        config.setWriteBufferWaterMark(buffers.backendWrites());
        HttpDecoderConfig responses = new HttpDecoderConfig().setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize()).setMaxChunkSize(HttpSettings.MAX_CHUNK);
        ResponseDecoder decoder = new ResponseDecoder(responses);
        BackendConnection connection = new BackendConnection(channel, backend, pools, decoder, client);
        channel.pipeline().addLast(new HttpRequestEncoder(), decoder, connection);
        transport.connectFromRegistration(channel);
        loop.register(channel);
        ChannelFuture connect = channel.connect(backend.address());
        if (connection.announcing != null) {
            // before the exchange's listener writes the request (channelActive comes after both)
            connect.addListener(done -> {
                if (done.isSuccess()) {
                    backend.proxyProtocol().write(channel, connection.announcing);
                }
            });
        }
        connection.connected = backend.tls() == null ? connect : secured(connect, backend);
        return connection;
    }

    /** Done once {@code connect} is and then the TLS handshake (after any PROXY header, which goes in clear). */
    private static ChannelFuture secured(ChannelFuture connect, Backend backend) {
        Channel channel = connect.channel();
        ChannelPromise ready = channel.newPromise();
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                ready.tryFailure(done.cause());
                return;
            }
            if (backend.proxyProtocol() != ProxyProtocol.OFF) {
                channel.flush();
            }
            backend.tls().handshake(channel, backend.key().server(), backend.address(), backend.connectTimeoutMs())
                    .addListener(handshake -> {
                        if (handshake.isSuccess()) {
                            ready.trySuccess();
                        } else {
                            ready.tryFailure(handshake.cause());
                            channel.close();
                        }
                    });
        });
        return ready;
    }

    ChannelFuture connected() {
        return connected;
    }

    Channel channel() {
        return channel;
    }

    Backend backend() {
        return backend;
    }

    ServerKey server() {
        return backend.key();
    }

    /** True once the connection has carried a request before the current one. */
    boolean reused() {
        return served;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** {@code next} is served from now on; {@code head}: its request is a HEAD (a final response without body). */
    void attach(Exchange next, boolean head) {
        exchange = next;
        decoder.head = head;
    }

    /**
     * The exchange is over and the connection may carry another request: back to the pool, unless
     * it speaks for one client (a PROXY header): then it is closed.
     */
    void release(HttpSettings settings) {
        if (announcing != null) {
            close();
            return;
        }
        exchange = null;
        served = true;
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        pools.offer(this, settings.poolIdlePerServer(), settings.poolIdleTimeoutNanos());
    }

    /**
     * The server switched protocols: the request encoder and this handler leave the pipeline (the
     * decoder stays until {@link #removeDecoder}, once a relay follows it). Returns the channel.
     */
    Channel leaveHttp() {
        exchange = null;
        channel.pipeline().remove(HttpRequestEncoder.class);
        channel.pipeline().remove(this);
        return channel;
    }

    /** After {@link #leaveHttp}: what the decoder holds (sent after the 101) goes to the next handler. */
    void removeDecoder() {
        channel.pipeline().remove(decoder);
    }

    void close() {
        exchange = null;
        channel.close();
    }

    long idleUntil() {
        return idleUntil;
    }

    void idleUntil(long nanos) {
        idleUntil = nanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        counted = true;
        backend.stats().opened();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Exchange current = exchange;
        if (current != null) {
            current.backendRead(message);
        } else {
            ReferenceCountUtil.release(message);
            channel.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.backendReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null && channel.isWritable()) {
            exchange.backendWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            backend.stats().closed();
        }
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.backendClosed(this);
        } else {
            pools.remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        channel.close();
    }
}
