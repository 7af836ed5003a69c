package io.fulcrum.dataplane.runtime.splice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollInterest;
import io.netty.channel.epoll.SplicingServerSocketChannel;
import io.netty.channel.epoll.SplicingSocketChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fulcrum's one door to its classes in Netty's package ({@link SplicingSocketChannel},
 * {@link SplicingServerSocketChannel}, {@link EpollInterest}): nothing else in Fulcrum names
 * them, so when they do not work with the Netty on the class path ({@link #verify} fails) the
 * transport uses Netty's own channels and nothing loads them. Such a failure is typically a
 * {@link LinkageError} from a package-private member that a Netty upgrade changed; without the
 * check it would surface at the first connection.
 */
public final class SplicingChannels {
    private static final long CHECK_SECONDS = 5;

    private SplicingChannels() {
    }

    public static ServerChannel newServerChannel(InternetProtocolFamily family) {
        return new SplicingServerSocketChannel(family);
    }

    /** A splicing listener over a socket that is bound and listening already (inherited in a takeover). */
    public static ServerChannel adoptServerChannel(int fd) {
        return new SplicingServerSocketChannel(fd);
    }

    public static SocketChannel newSocketChannel(InternetProtocolFamily family) {
        return new SplicingSocketChannel(family);
    }

    /** See {@link EpollInterest#readFromRegistration}. */
    public static void readFromRegistration(Channel channel) {
        EpollInterest.readFromRegistration(channel);
    }

    /** See {@link EpollInterest#connectFromRegistration}. */
    public static void connectFromRegistration(Channel channel) {
        EpollInterest.connectFromRegistration(channel);
    }

    /**
     * Makes {@code source} splice into {@code target} where it can; it keeps copying where it
     * cannot (not a splicing socket, no pipe left, a target that cannot take spliced bytes).
     * Call on the event loop.
     *
     * @return whether it splices now
     */
    public static boolean spliceInto(Channel source, Channel target) {
        if (source instanceof SplicingSocketChannel splicing) {
            try {
                SplicePipe.into(splicing, target);
                return splicing.isSplicing();
            } catch (IOException | IllegalArgumentException e) {
                // no pipe (descriptors exhausted) or a target that cannot take spliced bytes: keep copying
            }
        }
        return false;
    }

    /**
     * Returns if the splicing channels work here, else throws why. The first call checks (a few
     * milliseconds: a throwaway loop, one loopback connection whose accepted side splices a byte
     * back); later calls give the same answer.
     */
    public static void verify() throws Exception {
        Throwable failure = Verified.FAILURE;
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    private static final class Verified {
        static final Throwable FAILURE = check();

        private static Throwable check() {
            try {
                probe();
                return null;
            } catch (Exception | LinkageError e) {
                return e;
            }
        }
    }

    /**
     * Everything the channels override or reach into once: options of both configs, the epoll
     * interest set before registration, bind and accept (the child channel), connect, the read
     * loop switched to splice, the pipe's fill and drain, close.
     */
    static void probe() throws Exception {
        EventLoopGroup loop = new EpollEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, "fulcrum-splice-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            echoOneByte(loop);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    private static void echoOneByte(EventLoopGroup loop) throws Exception {
        AtomicBoolean spliced = new AtomicBoolean();
        ServerChannel listener = newServerChannel(InternetProtocolFamily.IPv4);
        listener.config().setOption(EpollChannelOption.SO_REUSEPORT, false);
        listener.config().getOption(EpollChannelOption.IP_FREEBIND);
        listener.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object child) {
                Channel accepted = (Channel) child;
                accepted.pipeline().addLast(new SpliceBack(spliced));
                readFromRegistration(accepted);
                loop.register(accepted);
            }
        });
        SocketChannel client = newSocketChannel(InternetProtocolFamily.IPv4);
        client.config().getOptions();
        CompletableFuture<Byte> echoed = new CompletableFuture<>();
        client.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ByteBuf buffer = (ByteBuf) message;
                echoed.complete(buffer.readByte());
                buffer.release();
            }
        });
        try {
            loop.register(listener).get(CHECK_SECONDS, TimeUnit.SECONDS);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).get(CHECK_SECONDS, TimeUnit.SECONDS);
            connectFromRegistration(client);
            loop.register(client).get(CHECK_SECONDS, TimeUnit.SECONDS);
            client.connect(listener.localAddress()).get(CHECK_SECONDS, TimeUnit.SECONDS);
            client.localAddress();
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42})).get(CHECK_SECONDS, TimeUnit.SECONDS);
            if (echoed.get(CHECK_SECONDS, TimeUnit.SECONDS) != 42 || !spliced.get()) {
                throw new IllegalStateException("the probe's byte did not come back spliced");
            }
        } finally {
            for (Channel channel : new Channel[] {client, listener}) {
                if (channel.isRegistered()) {
                    channel.close().await(CHECK_SECONDS, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The accepted side of the probe: splices what it reads back into its own socket. */
    private static final class SpliceBack extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean spliced;

        SpliceBack(AtomicBoolean spliced) {
            this.spliced = spliced;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws IOException {
            SplicePipe.into((SplicingSocketChannel) ctx.channel(), ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof SplicedBytes) {
                spliced.set(true);
            }
            ctx.write(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
