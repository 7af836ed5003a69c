package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.runtime.splice.SplicingChannels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport of one data plane: native epoll or NIO, chosen once at start. Creates the
 * single-thread loops and the channels, and sets the listener socket options: SO_REUSEPORT (nodes
 * on one host share an address; a restarted node binds before the old one leaves) and, on epoll,
 * IP_FREEBIND (a standby node binds a VIP it does not hold yet).
 *
 * <p>On epoll the sockets are Fulcrum's splicing channels ({@link SplicingChannels}: they can
 * splice and make fewer system calls) when they work with the Netty on the class path, which is
 * checked once at start; otherwise Netty's own {@link EpollServerSocketChannel} and
 * {@link EpollSocketChannel}, without splice or the registration shortcut ({@link #name()}
 * {@code epoll-netty}, one WARN line saying why).
 */
public final class Transport {
    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final boolean epoll;
    private final boolean splicing;

    private Transport(boolean epoll, boolean splicing) {
        this.epoll = epoll;
        this.splicing = splicing;
    }

    /**
     * The transport {@code kind} asks for, with the real splice check.
     *
     * @throws IllegalStateException if EPOLL is asked for where it is not available
     */
    public static Transport of(TransportKind kind) {
        return of(kind, SpliceCheck.DEFAULT);
    }

    /**
     * The transport {@code kind} asks for; on epoll, {@code spliceCheck} decides between
     * Fulcrum's splicing channels and Netty's own (tests force the fallback with it).
     *
     * @throws IllegalStateException if EPOLL is asked for where it is not available
     */
    public static Transport of(TransportKind kind, SpliceCheck spliceCheck) {
        boolean epoll = switch (kind) {
            case NIO -> false;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("native epoll is not available: " + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case AUTO -> Epoll.isAvailable();
        };
        return new Transport(epoll, epoll && splicingWorks(spliceCheck));
    }

    private static boolean splicingWorks(SpliceCheck check) {
        try {
            check.verify();
            return true;
        } catch (LinkageError | Exception e) {
            log.warn("Fulcrum's splicing epoll channels do not work with this Netty ({}); using Netty's own epoll "
                    + "channels, without splice", e.toString());
            return false;
        }
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** True on epoll: listening sockets can be handed to another process (a takeover). */
    public boolean canHandOver() {
        return epoll;
    }

    /** True when the sockets are Fulcrum's splicing channels (epoll, and the start check passed). */
    public boolean isSplicing() {
        return splicing;
    }

    /** {@code epoll-splice} (Fulcrum's channels), {@code epoll-netty} (the fallback) or {@code nio}. */
    public String name() {
        return splicing ? "epoll-splice" : epoll ? "epoll-netty" : "nio";
    }

    /** A group of exactly one loop, running on a thread made by {@code threads}. */
    public EventLoopGroup newLoop(ThreadFactory threads) {
        return epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
    }

    /** A listening socket of {@code address}'s family (an IPv4 address gets an IPv4 socket, not a dual-stack one). */
    public ServerChannel newServerChannel(InetSocketAddress address) {
        InternetProtocolFamily family = familyOf(address);
        ServerChannel channel = splicing ? SplicingChannels.newServerChannel(family)
                : epoll ? new EpollServerSocketChannel(family) : new NioServerSocketChannel(SelectorProvider.provider(), family);
        channel.config().setOption(ChannelOption.SO_REUSEADDR, true);
        if (epoll) {
            channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
            channel.config().setOption(EpollChannelOption.IP_FREEBIND, true);
        } else {
            channel.config().setOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
        return channel;
    }

    /**
     * A listener over {@code fd}, a socket bound and listening already (inherited from another
     * process in a takeover): register it with a loop, never bind it. Epoll only.
     *
     * @throws UnsupportedOperationException on the NIO transport, which cannot adopt a descriptor
     */
    public ServerChannel adoptServerChannel(int fd) {
        if (!epoll) {
            throw new UnsupportedOperationException("a takeover needs the epoll transport (this node runs " + name() + ")");
        }
        return splicing ? SplicingChannels.adoptServerChannel(fd) : new EpollServerSocketChannel(fd);
    }

    /** The descriptor of a listener this transport made, to hand to another process; -1 on NIO. */
    public static int descriptorOf(Channel listener) {
        return listener instanceof UnixChannel unix ? unix.fd().intValue() : -1;
    }

    /**
     * A socket of {@code target}'s address family: an IPv4 socket for an IPv4 server saves the
     * dual-stack socket's extra system calls on every connect. With {@link #isSplicing()} the TCP
     * relay can switch its reads to splice.
     */
    public SocketChannel newSocketChannel(InetSocketAddress target) {
        InternetProtocolFamily family = familyOf(target);
        return splicing ? SplicingChannels.newSocketChannel(family)
                : epoll ? new EpollSocketChannel(family) : new NioSocketChannel(SelectorProvider.provider(), family);
    }

    /** {@code channel} (not registered yet) reads from the start: registered with read interest where that saves an {@code epoll_ctl}. */
    public void readFromRegistration(Channel channel) {
        if (splicing) {
            SplicingChannels.readFromRegistration(channel);
        }
    }

    /** {@code channel} (not registered yet) is about to connect: registered with read and write interest where that saves calls. */
    public void connectFromRegistration(Channel channel) {
        if (splicing) {
            SplicingChannels.connectFromRegistration(channel);
        }
    }

    /**
     * Makes {@code source} splice into {@code target} where it can; it keeps copying where it
     * cannot (NIO, the fallback channels, no pipe left). Call on the event loop.
     *
     * @return whether it splices now
     */
    public boolean spliceInto(Channel source, Channel target) {
        return splicing && SplicingChannels.spliceInto(source, target);
    }

    private static InternetProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? InternetProtocolFamily.IPv4 : InternetProtocolFamily.IPv6;
    }

    /**
     * Sends a FIN on {@code channel} (shutdown(SHUT_WR)) once nothing is queued for it; runs
     * {@code failed} (on the channel's loop) if that fails. On epoll the socket is shut down
     * directly: Netty's {@code shutdownOutput} builds an exception with a stack trace every time
     * (to fail queued writes, of which there are none here), which was 2.4 % of a loop's CPU
     * with short connections. Netty still sees the output as shut down: it reads that state from
     * the same socket. A socket the peer has reset is not connected any more: that fails too.
     */
    public static void shutdownOutput(Channel channel, Runnable failed) {
        Socket socket = socketOf(channel);
        if (socket != null) {
            try {
                socket.shutdown(false, true);
            } catch (IOException | NotYetConnectedException e) {
                failed.run();
            }
        } else {
            ((DuplexChannel) channel).shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    failed.run();
                }
            });
        }
    }

    /**
     * Sends {@code buffer}'s bytes on {@code channel} at once, around Netty's write queue, when
     * that keeps their order: an epoll socket with nothing queued and nothing closed, a direct
     * buffer. The caller must not have written anything to {@code channel} it did not flush.
     * Netty's path for one buffer (queue entry, pipeline walks for write and flush, pending-bytes
     * accounting) was about 7 % of a loop's CPU with keep-alive traffic.
     *
     * @return the bytes sent, their reader index moved past (0 when the socket takes nothing
     *     now), or -1 if the buffer must take Netty's path
     * @throws IOException if the socket failed (reset, broken pipe)
     */
    public static int sendNow(Channel channel, ByteBuf buffer) throws IOException {
        Socket socket = socketOf(channel);
        if (socket == null || !buffer.hasMemoryAddress()) {
            return -1;
        }
        ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
        if (queue == null || !queue.isEmpty() || !channel.isActive()) {
            // null once the channel is closing; not empty while bytes wait for the socket to drain
            return -1;
        }
        int sent = socket.sendAddress(buffer.memoryAddress(), buffer.readerIndex(), buffer.writerIndex());
        buffer.skipBytes(sent);
        return sent;
    }

    /** The native socket of an epoll channel, null on NIO. */
    private static Socket socketOf(Channel channel) {
        return channel instanceof UnixChannel unix && unix.fd() instanceof Socket socket ? socket : null;
    }

    public Class<? extends SocketChannel> socketChannelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
