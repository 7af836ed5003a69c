package io.fulcrum.dataplane.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.config.testing.Preconditions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TransportTest {
    /** TCP_CLOSE in the kernel's tcp_info: what a socket is after it received a reset. */
    private static final int TCP_CLOSE = 7;

    /**
     * The relay passes a server's FIN on to the client; a client that reset its connection in the
     * same epoll round is no longer connected (ENOTCONN, which Netty throws as an unchecked
     * exception). That must end the connection, not escape into the event loop.
     */
    @Test
    void passingAFinToAPeerThatWasResetFailsInsteadOfThrowing() throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        Transport transport = Transport.of(TransportKind.EPOLL);
        EventLoopGroup loop = transport.newLoop(Executors.defaultThreadFactory());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EpollSocketChannel channel = (EpollSocketChannel) new Bootstrap().group(loop)
                    .channel(transport.socketChannelClass())
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(listener.getLocalSocketAddress()).sync().channel();
            CountDownLatch loopHeld = new CountDownLatch(1);
            CompletableFuture<Boolean> failed = new CompletableFuture<>();
            // the loop is kept busy until the reset has arrived, so Netty cannot see it first:
            // that is the order in which the relay meets it
            channel.eventLoop().execute(() -> {
                try {
                    loopHeld.countDown();
                    Poll.until(Duration.ofSeconds(5), () -> channel.tcpInfo().state() == TCP_CLOSE, "the reset arrives");
                    Transport.shutdownOutput(channel, () -> failed.complete(true));
                    failed.complete(false);
                } catch (RuntimeException | AssertionError e) {
                    failed.completeExceptionally(e);
                }
            });
            loopHeld.await(5, TimeUnit.SECONDS);
            try (Socket accepted = listener.accept()) {
                accepted.setSoLinger(true, 0); // close sends a reset
            }
            if (!failed.get(10, TimeUnit.SECONDS)) {
                throw new AssertionError("shutting down a reset socket's output reported no failure");
            }
            channel.close().sync();
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * The listener channel is Fulcrum's own on epoll: it must still set SO_REUSEPORT (two nodes
     * bind one address) and IP_FREEBIND (a standby binds an address it does not hold: here one
     * from TEST-NET-1, on no interface of this machine).
     */
    @Test
    void anEpollListenerSharesItsAddressAndBindsAnAddressItDoesNotHold() throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        Transport transport = Transport.of(TransportKind.EPOLL);
        EventLoopGroup loop = transport.newLoop(Executors.defaultThreadFactory());
        try {
            ServerChannel first = bound(transport, loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerChannel second = bound(transport, loop, (InetSocketAddress) first.localAddress());
            assertEquals(true, second.config().getOption(EpollChannelOption.SO_REUSEPORT));
            ServerChannel elsewhere = bound(transport, loop, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0));
            assertEquals(true, elsewhere.config().getOption(EpollChannelOption.IP_FREEBIND));
            for (ServerChannel channel : new ServerChannel[] {first, second, elsewhere}) {
                channel.close().sync();
            }
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * A listener is a socket of its address's family: an IPv6 address still binds (an IPv4
     * socket could not), and what it accepts is a working connection. Accepted sockets have
     * TCP_NODELAY without being asked: they inherit it from the listener. Both ends know their
     * addresses and the listener, though Fulcrum's channels ask the kernel for them later than
     * Netty's do.
     */
    @Test
    void listenersOfEitherFamilyAcceptSocketsWithNoDelay() throws Exception {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        Transport transport = Transport.of(TransportKind.EPOLL);
        EventLoopGroup loop = transport.newLoop(Executors.defaultThreadFactory());
        try {
            for (InetAddress address : new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")}) {
                if (address instanceof Inet6Address && !hasIpv6Loopback()) {
                    continue;
                }
                CompletableFuture<Channel> accepted = new CompletableFuture<>();
                ServerChannel listener = transport.newServerChannel(new InetSocketAddress(address, 0));
                listener.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object child) {
                        Channel channel = (Channel) child;
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
                        ctx.channel().eventLoop().register(channel).addListener(registered -> accepted.complete(channel));
                    }
                });
                loop.register(listener).sync();
                listener.bind(new InetSocketAddress(address, 0)).sync();
                InetSocketAddress listening = (InetSocketAddress) listener.localAddress();
                SocketChannel client = transport.newSocketChannel(listening);
                client.pipeline().addLast(new ChannelInboundHandlerAdapter());
                loop.register(client).sync();
                try {
                    client.connect(listening).sync();
                    Channel child = accepted.get(5, TimeUnit.SECONDS);
                    assertEquals(listening, child.localAddress(), address + ": the accepted socket's address");
                    assertEquals(client.localAddress(), child.remoteAddress(), address + ": the accepted socket's peer");
                    assertEquals(listening, client.remoteAddress(), address + ": the connected socket's peer");
                    assertEquals(listener, child.parent(), address + ": the accepted socket's listener");
                    assertEquals(true, child.config().getOption(ChannelOption.TCP_NODELAY), address + ": TCP_NODELAY");
                    child.close().sync();
                } finally {
                    client.close().sync();
                    listener.close().sync();
                }
            }
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException unavailable) {
            return false;
        }
    }

    private static ServerChannel bound(Transport transport, EventLoopGroup loop, InetSocketAddress address)
            throws InterruptedException {
        ServerChannel channel = transport.newServerChannel(address);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        loop.register(channel).sync();
        channel.bind(address).sync();
        return channel;
    }
}
