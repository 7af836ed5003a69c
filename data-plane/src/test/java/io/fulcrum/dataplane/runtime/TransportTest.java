package io.fulcrum.dataplane.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fulcrum.dataplane.testing.Poll;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
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
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
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
        assumeTrue(Epoll.isAvailable(), "native epoll is not available here");
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

    private static ServerChannel bound(Transport transport, EventLoopGroup loop, InetSocketAddress address)
            throws InterruptedException {
        ServerChannel channel = transport.newServerChannel();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        loop.register(channel).sync();
        channel.bind(address).sync();
        return channel;
    }
}
