package io.fulcrum.dataplane.runtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound sockets of one listener: one per acceptor loop, all on the same address through
 * SO_REUSEPORT (the kernel spreads new connections over them). Closing it stops accepting;
 * connections already accepted live on their worker loops until they end.
 */
public final class Listener {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final ListenerSpec spec;
    private final List<Channel> channels;
    private final ChannelHandler acceptor;

    private Listener(ListenerSpec spec, List<Channel> channels, ChannelHandler acceptor) {
        this.spec = spec;
        this.channels = List.copyOf(channels);
        this.acceptor = acceptor;
    }

    /**
     * Binds one socket per acceptor loop, each handing accepted channels to {@code acceptor}.
     *
     * @throws RejectedConfigException naming the listener, the address and the system's reason
     */
    public static Listener bind(ListenerSpec spec, LoopGroup acceptors, Transport transport, ChannelHandler acceptor) {
        return bind(spec, acceptors, transport, acceptor, List.of());
    }

    /**
     * Like {@link #bind(ListenerSpec, LoopGroup, Transport, ChannelHandler)}, but first adopts
     * {@code inherited}: descriptors of sockets bound to this address and listening already
     * (handed over by the process this one takes over from). Each is registered, not bound, so
     * the connections queued on it are accepted here; they are spread over the acceptor loops,
     * and loops left without one bind a new socket beside them (SO_REUSEPORT).
     */
    public static Listener bind(ListenerSpec spec, LoopGroup acceptors, Transport transport, ChannelHandler acceptor,
            List<Integer> inherited) {
        List<Channel> bound = new ArrayList<>();
        List<EventLoop> loops = acceptors.loops();
        try {
            for (int i = 0; i < inherited.size(); i++) {
                ServerChannel channel = transport.adoptServerChannel(inherited.get(i));
                channel.pipeline().addLast(acceptor);
                bound.add(channel);
                loops.get(i % loops.size()).register(channel).syncUninterruptibly();
            }
            for (EventLoop loop : loops.subList(Math.min(inherited.size(), loops.size()), loops.size())) {
                ServerChannel channel = transport.newServerChannel(spec.address());
                channel.pipeline().addLast(acceptor);
                bound.add(channel);
                loop.register(channel).syncUninterruptibly();
                ChannelFuture bind = channel.bind(spec.address());
                if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new RejectedConfigException(describe(spec) + ": bind timed out");
                }
                if (!bind.isSuccess()) {
                    throw new RejectedConfigException(describe(spec) + ": " + reason(bind.cause()), bind.cause());
                }
            }
        } catch (RuntimeException e) {
            bound.forEach(Channel::close);
            throw e instanceof RejectedConfigException rejected ? rejected
                    : new RejectedConfigException(describe(spec) + ": " + reason(e), e);
        }
        log.info("listener {} {} on {}", spec.name(), inherited.isEmpty() ? "bound" : "taken over (" + inherited.size()
                + " sockets)", address(spec.address()));
        return new Listener(spec, bound, acceptor);
    }

    private static String describe(ListenerSpec spec) {
        return "tcp-lb " + spec.name() + ": cannot bind " + address(spec.address());
    }

    /** The system's words without Netty's prefix ("bind(..) failed with error(-98): "). */
    private static String reason(Throwable cause) {
        return String.valueOf(cause.getMessage()).replaceFirst("^\\w+\\(\\.\\.\\) failed( with error\\(-?\\d+\\))?: ", "");
    }

    /** HOST:PORT, [IPv6]:PORT. */
    public static String address(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    public ListenerSpec spec() {
        return spec;
    }

    public ChannelHandler acceptor() {
        return acceptor;
    }

    /** The descriptors of the listening sockets, to hand to a process taking over (empty on NIO). */
    public List<Integer> descriptors() {
        return channels.stream().map(Transport::descriptorOf).filter(fd -> fd >= 0).toList();
    }

    /**
     * Stops accepting on sockets another process now holds too (after a takeover): each is taken
     * out of its loop's epoll set first, because closing a descriptor whose socket stays open
     * elsewhere would leave it watched, and then closed here. The socket, its address and the
     * connections queued on it stay with the other process. Waits up to a few seconds.
     */
    public void handOver() {
        for (Channel channel : channels) {
            channel.deregister().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            channel.close().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        log.info("listener {} on {} handed over", spec.name(), address(spec.address()));
    }

    /** The address actually bound. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channels.get(0).localAddress();
    }

    /**
     * Stops accepting and waits (up to a few seconds) until the sockets are closed, so that the
     * address is free when the apply that dropped the listener returns. Connections already
     * accepted are not touched.
     */
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>();
        for (Channel channel : channels) {
            closing.add(channel.close());
        }
        for (ChannelFuture closed : closing) {
            if (!closed.channel().eventLoop().inEventLoop()) {
                closed.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        log.info("listener {} on {} closed", spec.name(), address(spec.address()));
    }
}
