package io.fulcrum.controlplane.resp;

import io.fulcrum.config.schema.HostPort;
import io.fulcrum.controlplane.api.Errors;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The RESP (Redis protocol) endpoint: {@code redis-cli -p PORT -a PASSWORD add upstream ups0}
 * runs the command language as vproxy's resp-controller did. Replies: {@code +OK} for a change,
 * an array for list and list-detail, a bulk string for man, {@code -ERR ...} for an error.
 */
public final class RespServer implements AutoCloseable {
    private final EventLoopGroup loops;
    private final Channel channel;

    /** The handlers of one RESP connection; the encoder first, so that the limits can answer before the aggregators. */
    static void pipeline(io.netty.channel.ChannelPipeline pipeline, String password,
            Function<ExecRequest, CompletableFuture<ExecResponse>> exec, Errors errors) {
        pipeline.addLast(new RedisEncoder(), new RedisDecoder(true), new RespLimits(),
                new RedisBulkStringAggregator(), new RedisArrayAggregator(), new RespHandler(password, exec, errors));
    }

    private RespServer(EventLoopGroup loops, Channel channel) {
        this.loops = loops;
        this.channel = channel;
    }

    /**
     * @param password null: no AUTH needed (only with --insecure-no-auth)
     * @param exec     runs command-language text (with a request id, or none) as an operator
     * @param errors   turns a failed command into the text after {@code -ERR}
     */
    public static RespServer start(String address, String password, Function<ExecRequest, CompletableFuture<ExecResponse>> exec,
            Errors errors) {
        HostPort bind = HostPort.parse(address, true);
        EventLoopGroup loops = new NioEventLoopGroup(1);
        ServerBootstrap bootstrap = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        pipeline(ch.pipeline(), password, exec, errors);
                    }
                });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(bind.host(), bind.port())).syncUninterruptibly().channel();
            return new RespServer(loops, channel);
        } catch (RuntimeException e) {
            loops.shutdownGracefully();
            throw new IllegalStateException("cannot bind the RESP endpoint on " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
