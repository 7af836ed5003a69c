package io.fulcrum.dataplane.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket client for tests on Netty's codec: connects, completes the handshake (or fails with
 * the server's refusal), sends frames and queues the messages it receives. Reading can be stopped
 * ({@link #reading}) to play a client that does not keep up.
 */
public final class WebSocketClient implements AutoCloseable {
    private final EventLoopGroup loop = new NioEventLoopGroup(1);
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final AtomicLong receivedBytes = new AtomicLong();
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final Channel channel;
    private volatile boolean countOnly;

    /** Connects to {@code ws://address/path} and waits for the handshake (10 s). */
    public WebSocketClient(InetSocketAddress address, String path) throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + address.getPort() + path);
        channel = new Bootstrap().group(loop).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                                .maxFramePayloadLength(WebSocketServer.MAX_MESSAGE).handshakeTimeoutMillis(10_000).build()),
                        new WebSocketFrameAggregator(WebSocketServer.MAX_MESSAGE), new Collector());
            }
        }).connect(address).syncUninterruptibly().channel();
        handshake.get(10, TimeUnit.SECONDS);
    }

    public void send(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** The next message received, within {@code seconds}; null if none came. */
    public byte[] next(int seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Bytes of messages received so far (also those not taken with {@link #next}). */
    public long receivedBytes() {
        return receivedBytes.get();
    }

    /** Stops or resumes reading from the socket. */
    public void reading(boolean on) {
        channel.eventLoop().submit(() -> channel.config().setAutoRead(on)).syncUninterruptibly();
    }

    /** Messages are counted, not kept, from now on (for large transfers). */
    public void countOnly() {
        countOnly = true;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ByteBuf content = frame.content();
            receivedBytes.addAndGet(content.readableBytes());
            if (!countOnly) {
                byte[] bytes = new byte[content.readableBytes()];
                content.readBytes(bytes);
                received.add(bytes);
            }
        }
    }
}
