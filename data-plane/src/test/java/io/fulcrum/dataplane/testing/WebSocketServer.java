package io.fulcrum.dataplane.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket server for tests on Netty's codec (a real handshake and real frames) at {@code /ws}
 * of a free loopback port: it echoes every message, and answers the text {@code push N} with N
 * bytes in binary messages of 64 KB, written only while the socket takes them. Any other HTTP
 * request (an upgrade elsewhere included) gets a plain 200 {@code http PATH}.
 */
public final class WebSocketServer implements AutoCloseable {
    public static final int MAX_MESSAGE = 16 << 20;
    private static final int PIECE = 64 << 10;

    private final EventLoopGroup loop = new NioEventLoopGroup(1);
    private final Channel listener;
    private final AtomicLong pushed = new AtomicLong();

    private WebSocketServer() {
        listener = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ws").maxFramePayloadLength(MAX_MESSAGE).build()),
                                new WebSocketFrameAggregator(MAX_MESSAGE), new PlainHttp(), new Echo());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public static WebSocketServer start() {
        return new WebSocketServer();
    }

    /** 127.0.0.1:PORT, as a config names it. */
    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Bytes of pushed messages the socket took so far. */
    public long pushed() {
        return pushed.get();
    }

    @Override
    public void close() {
        listener.close();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class PlainHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            byte[] body = ("http " + request.uri()).getBytes(StandardCharsets.US_ASCII);
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(response);
        }
    }

    private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        private long toPush;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text && text.text().startsWith("push ")) {
                toPush = Long.parseLong(text.text().substring(5));
                push(ctx);
            } else {
                ctx.writeAndFlush(frame.retain());
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            push(ctx);
        }

        private void push(ChannelHandlerContext ctx) {
            while (toPush > 0 && ctx.channel().isWritable()) {
                int size = (int) Math.min(PIECE, toPush);
                toPush -= size;
                ctx.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[size])))
                        .addListener((ChannelFutureListener) written -> pushed.addAndGet(size));
            }
        }
    }
}
