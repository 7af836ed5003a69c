package io.netty.channel.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.config.testing.Preconditions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@link EpollInterest} relies on in the pinned Netty version: the events set before
 * registration are the ones the socket is added with, and Netty's own handling of connect and
 * reads keeps working from there (with edge-triggered epoll a missed edge would hang a connection).
 */
@Timeout(30)
class EpollInterestTest {
    private EventLoopGroup loop;

    @BeforeEach
    void start() {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        loop = new EpollEventLoopGroup(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void anAcceptedSocketRegisteredWithReadInterestReadsWhatArrivedBeforeRegistration() throws Exception {
        LinuxSocket listener = LinuxSocket.newSocketStream(false);
        try (Socket client = new Socket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen(1);
            client.connect(listener.localAddress());
            client.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));
            // accepted by hand: its bytes are in the kernel before epoll knows the socket
            int fd = acceptOne(listener);
            EpollSocketChannel channel = new EpollSocketChannel(fd);
            CompletableFuture<String> read = new CompletableFuture<>();
            channel.pipeline().addLast(firstRead(read));
            EpollInterest.readFromRegistration(channel);
            assertEquals(Native.EPOLLIN, channel.flags & Native.EPOLLIN);

            loop.register(channel).sync();
            assertEquals("early", read.get(5, TimeUnit.SECONDS));
            channel.close().sync();
        } finally {
            listener.close();
        }
    }

    @Test
    void aSocketRegisteredForConnectDropsWriteInterestOnceConnectedAndReads() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EpollSocketChannel channel = new EpollSocketChannel();
            CompletableFuture<String> read = new CompletableFuture<>();
            channel.pipeline().addLast(firstRead(read));
            EpollInterest.connectFromRegistration(channel);
            loop.register(channel).sync();
            channel.connect(listener.getLocalSocketAddress()).sync();
            try (Socket accepted = listener.accept(); OutputStream out = accepted.getOutputStream()) {
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", read.get(5, TimeUnit.SECONDS));
                int events = channel.eventLoop().submit(() -> channel.flags).get();
                assertEquals(0, events & Native.EPOLLOUT, "write interest stays after the connect: a busy loop");
                assertEquals(Native.EPOLLIN, events & Native.EPOLLIN);
            }
            channel.close().sync();
        }
    }

    @Test
    void aRefusedConnectStillFails() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) listener.getLocalSocketAddress();
        }
        EpollSocketChannel channel = new EpollSocketChannel();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        EpollInterest.connectFromRegistration(channel);
        loop.register(channel).sync();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> channel.connect(closed).get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectException.class, failed.getCause());
    }

    @Test
    void aRegisteredChannelIsLeftAlone() throws Exception {
        EpollSocketChannel channel = new EpollSocketChannel();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        loop.register(channel).sync();
        int before = channel.flags;
        EpollInterest.connectFromRegistration(channel);
        assertEquals(before, channel.flags);
        channel.close().sync();
    }

    private static ChannelInboundHandlerAdapter firstRead(CompletableFuture<String> read) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ByteBuf buffer = (ByteBuf) message;
                read.complete(buffer.toString(StandardCharsets.US_ASCII));
                buffer.release();
            }
        };
    }

    private static int acceptOne(LinuxSocket listener) {
        byte[] remote = new byte[32];
        int[] fd = {-1};
        Poll.until(Duration.ofSeconds(5), () -> {
            try {
                fd[0] = listener.accept(remote);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return fd[0] >= 0;
        }, "a connection to accept");
        return fd[0];
    }
}
