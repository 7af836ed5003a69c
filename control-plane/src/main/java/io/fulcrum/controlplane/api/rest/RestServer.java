package io.fulcrum.controlplane.api.rest;

import io.fulcrum.config.schema.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP listener of the REST API: Netty's HTTP/1.1 codec, bodies up to {@link #MAX_BODY_BYTES},
 * TLS with the API's certificate when one is given. Two small event loops; the handlers never block.
 */
final class RestServer implements AutoCloseable {
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final EventLoopGroup loops;
    private final Channel channel;

    private RestServer(EventLoopGroup loops, Channel channel) {
        this.loops = loops;
        this.channel = channel;
    }

    /**
     * @param tlsCert null: plain HTTP
     * @throws IllegalArgumentException naming the files when the certificate or key cannot be read
     * @throws IllegalStateException    when the address cannot be bound
     */
    static RestServer start(String address, Path tlsCert, Path tlsKey, RestHandler handler) {
        SslContext tls = tls(tlsCert, tlsKey);
        HostPort bind = HostPort.parse(address, true);
        EventLoopGroup loops = new NioEventLoopGroup(2, new DefaultThreadFactory("fulcrum-rest", true));
        try {
            Channel channel = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES), handler);
                        }
                    }).bind(new InetSocketAddress(bind.host(), bind.port())).syncUninterruptibly().channel();
            return new RestServer(loops, channel);
        } catch (RuntimeException e) {
            loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot bind the REST API on " + address + ": " + e.getMessage(), e);
        }
    }

    private static SslContext tls(Path cert, Path key) {
        if (cert == null) {
            return null;
        }
        if (key == null) {
            throw new IllegalArgumentException("a TLS certificate (" + cert + ") needs its private key file as well");
        }
        try {
            return SslContextBuilder.forServer(new File(cert.toString()), new File(key.toString())).build();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + cert + " or key " + key + ": "
                    + e.getMessage(), e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
