package io.netty.channel.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.splice.SplicePipe;
import io.fulcrum.dataplane.runtime.splice.SplicedBytes;
import io.fulcrum.dataplane.testing.Descriptors;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.config.testing.Preconditions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SplicingSocketChannel} relaying from a sending peer to a receiving peer through a
 * second channel on the same loop, with real sockets on 127.0.0.1: what it reads arrives intact
 * and in order with what was copied before the switch, a FIN that arrives while the pipe is full
 * ends the stream only after every byte, and the pipe is closed with the channels.
 */
@Timeout(60)
class SplicingSocketChannelTest {
    private EventLoopGroup loop;
    private ServerSocket senders;
    private ServerSocket receivers;

    @BeforeEach
    void start() throws IOException {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
        loop = new EpollEventLoopGroup(1);
        senders = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        receivers = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (loop != null) {
            senders.close();
            receivers.close();
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void bytesCopiedBeforeTheSwitchAndSplicedAfterItArriveInOrder() throws Exception {
        Relayed relayed = relay(100_000, 0);
        byte[] data = randomBytes(4 << 20);
        CompletableFuture<Void> sent = send(relayed.sender, data, true);
        Received received = receiveAll(relayed.receiver);
        sent.get(10, TimeUnit.SECONDS);

        assertEquals(data.length, received.length);
        assertEquals(crc(data), received.crc, "CRC32C of what the receiver got");
        assertTrue(relayed.forward.copied >= 100_000, "copied before the switch: " + relayed.forward.copied);
        assertTrue(relayed.forward.spliced.get() > 0, "nothing was spliced");
    }

    @Test
    void aFinThatArrivesWhileThePipeIsFullEndsTheStreamOnlyAfterEveryByte() throws Exception {
        // small buffers after the pipe, so that the sender's last bytes and its FIN wait behind a full pipe
        Relayed relayed = relay(0, 4096);
        // little enough that all of it and the FIN reach the source socket while the receiver reads nothing
        byte[] data = randomBytes(160 * 1024);
        send(relayed.sender, data, true).get(10, TimeUnit.SECONDS);
        Poll.until(Duration.ofSeconds(5), () -> pipeHoldsAfterFin(relayed.source), "the FIN seen with bytes in the pipe");

        Received received = receiveAll(relayed.receiver);
        assertEquals(data.length, received.length);
        assertEquals(crc(data), received.crc, "CRC32C of what the receiver got");
        // the FIN's EPOLLRDHUP was cleared before the end was read: read interest is dropped on its own
        awaitInputNotWatched(relayed.source);
    }

    @Test
    void urgentDataDoesNotStallTheStream() throws Exception {
        // splice stops at the urgent mark and never steps over it; the byte itself is not part of the stream
        Relayed relayed = relay(0, 0);
        byte[] before = randomBytes(64 * 1024);
        byte[] after = randomBytes(32 * 1024 + 1);
        OutputStream out = relayed.sender.getOutputStream();
        out.write(before);
        relayed.sender.sendUrgentData('!');
        out.write(after);
        relayed.sender.shutdownOutput();

        Received received = receiveAll(relayed.receiver);
        byte[] stream = new byte[before.length + after.length];
        System.arraycopy(before, 0, stream, 0, before.length);
        System.arraycopy(after, 0, stream, before.length, after.length);
        assertEquals(stream.length, received.length);
        assertEquals(crc(stream), received.crc, "CRC32C of what the receiver got");
    }

    @Test
    void thePipeIsClosedWhicheverSideClosesFirst() throws Exception {
        long before = Descriptors.pipes();
        for (boolean sourceFirst : new boolean[] {true, false}) {
            // the receiver reads nothing: bytes wait in the pipe when the first side closes
            Relayed relayed = relay(0, 4096);
            send(relayed.sender, randomBytes(1 << 20), false);
            Poll.until(Duration.ofSeconds(5), () -> pipeHolds(relayed.source), "the pipe holds bytes");
            Channel first = sourceFirst ? relayed.source : relayed.target;
            Channel second = sourceFirst ? relayed.target : relayed.source;
            first.close().sync();
            second.close().sync();
            relayed.sender.close();
            relayed.receiver.close();
            Poll.until(Duration.ofSeconds(5), () -> Descriptors.pipes() == before,
                    () -> (sourceFirst ? "source" : "target") + " closed first, pipes still open: " + Descriptors.pipes());
        }
    }

    @Test
    void anAcceptedConnectionSplicesToo() throws Exception {
        SplicingServerSocketChannel listener = new SplicingServerSocketChannel(InternetProtocolFamily.IPv4);
        CompletableFuture<SplicingSocketChannel> accepted = new CompletableFuture<>();
        listener.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object child) {
                SplicingSocketChannel source = (SplicingSocketChannel) child;
                source.config().setAutoRead(false);
                loop.register(source).addListener(registered -> accepted.complete(source));
            }
        });
        loop.register(listener).sync();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
        SplicingSocketChannel target = new SplicingSocketChannel(InternetProtocolFamily.IPv4);
        target.pipeline().addLast(new ChannelInboundHandlerAdapter());
        loop.register(target).sync();
        try (Socket sender = new Socket(InetAddress.getLoopbackAddress(), listener.localAddress().getPort());
                Socket receiver = connect(target, receivers, 0)) {
            SplicingSocketChannel source = accepted.get(5, TimeUnit.SECONDS);
            Forward forward = new Forward(source, target, 0);
            loop.submit(() -> {
                source.pipeline().addLast(forward);
                source.config().setAllowHalfClosure(true);
                SplicePipe.into(source, target);
                source.config().setAutoRead(true);
                return null;
            }).get(5, TimeUnit.SECONDS);
            byte[] data = randomBytes(2 << 20);
            CompletableFuture<Void> sent = send(sender, data, true);
            Received received = receiveAll(receiver);
            sent.get(10, TimeUnit.SECONDS);
            assertEquals(crc(data), received.crc, "CRC32C of what the receiver got");
            assertTrue(forward.spliced.get() > 0, "nothing was spliced");
        } finally {
            listener.close().sync();
        }
    }

    @Test
    void thePipeIsClosedWithTheChannels() throws Exception {
        long before = Descriptors.pipes();
        Relayed relayed = relay(0, 0);
        byte[] data = randomBytes(256 * 1024);
        send(relayed.sender, data, false).get(10, TimeUnit.SECONDS);
        InputStream in = relayed.receiver.getInputStream();
        assertEquals(data.length, in.readNBytes(data.length).length);
        assertEquals(before + 2, Descriptors.pipes(), "one pipe (two descriptors) while splicing");

        relayed.source.close().sync();
        relayed.target.close().sync();
        Poll.until(Duration.ofSeconds(5), () -> Descriptors.pipes() == before, () -> "pipes still open: " + Descriptors.pipes());
    }

    /**
     * Once the sender's FIN is read, the source is no longer watched for input or for the FIN.
     * Read interest is dropped without a system call of its own; this checks, in the epoll set
     * itself and both copying and splicing, that it still reaches the kernel (how many calls it
     * took is for strace: docs/BENCHMARKS.md).
     */
    @Test
    void afterTheFinTheEpollSetNoLongerWatchesTheInput() throws Exception {
        for (long switchAfter : new long[] {Long.MAX_VALUE, 0}) {
            Relayed relayed = relay(switchAfter, 0);
            byte[] data = randomBytes(100_000);
            send(relayed.sender, data, true).get(10, TimeUnit.SECONDS);
            assertEquals(data.length, receiveAll(relayed.receiver).length);
            awaitInputNotWatched(relayed.source);
            relayed.source.close().sync();
            relayed.target.close().sync();
        }
    }

    /** Waits until {@code channel}'s entry in its loop's epoll set has neither EPOLLIN nor EPOLLRDHUP. */
    private static void awaitInputNotWatched(Channel channel) {
        int fd = ((AbstractEpollChannel) channel).fd().intValue();
        Poll.until(Duration.ofSeconds(5), () -> (registeredEvents(channel, fd) & (Native.EPOLLIN | Native.EPOLLRDHUP)) == 0,
                () -> "events in the epoll set: 0x" + Integer.toHexString(registeredEvents(channel, fd)));
    }

    /** The events {@code fd} is registered for in its loop's epoll set (/proc/self/fdinfo), -1 if it is not there. */
    private static int registeredEvents(Channel channel, int fd) {
        try {
            Field field = EpollEventLoop.class.getDeclaredField("epollFd");
            field.setAccessible(true);
            int epollFd = ((FileDescriptor) field.get(channel.eventLoop())).intValue();
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + epollFd))) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 4 && words[0].equals("tfd:") && words[1].equals(String.valueOf(fd))) {
                    return Integer.parseUnsignedInt(words[3], 16);
                }
            }
            return -1;
        } catch (ReflectiveOperationException | IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A source connected to an accepted sender, a target connected to an accepted receiver, forwarding. */
    private Relayed relay(long switchAfter, int receiveBuffer) throws Exception {
        SplicingSocketChannel source = new SplicingSocketChannel(InternetProtocolFamily.IPv4);
        SplicingSocketChannel target = new SplicingSocketChannel(InternetProtocolFamily.IPv4);
        source.config().setAllowHalfClosure(true);
        Forward forward = new Forward(source, target, switchAfter);
        source.pipeline().addLast(forward);
        target.pipeline().addLast(new ChannelInboundHandlerAdapter());
        if (receiveBuffer > 0) {
            target.config().setSendBufferSize(receiveBuffer);
        }
        loop.register(target).sync();
        Socket receiver = connect(target, receivers, receiveBuffer);
        source.config().setAutoRead(false);
        loop.register(source).sync();
        Socket sender = connect(source, senders, 0);
        loop.submit(() -> {
            if (switchAfter == 0) {
                SplicePipe.into(source, target);
            }
            source.config().setAutoRead(true);
            return null;
        }).get(5, TimeUnit.SECONDS);
        return new Relayed(source, target, sender, receiver, forward);
    }

    private static Socket connect(Channel channel, ServerSocket listener, int receiveBuffer) throws Exception {
        if (receiveBuffer > 0) {
            listener.setReceiveBufferSize(receiveBuffer);
        }
        channel.connect(listener.getLocalSocketAddress()).sync();
        Socket accepted = listener.accept();
        // a stalled relay fails the test instead of blocking it in read()
        accepted.setSoTimeout(20_000);
        return accepted;
    }

    private boolean pipeHolds(SplicingSocketChannel source) {
        try {
            return loop.submit(() -> source.isSplicing() && source.splice.hasQueued()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private boolean pipeHoldsAfterFin(SplicingSocketChannel source) {
        try {
            return loop.submit(() -> source.isSplicing() && source.splice.hasQueued()
                    && ((AbstractEpollChannel.AbstractEpollUnsafe) source.unsafe()).recvBufAllocHandle().isReceivedRdHup())
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<Void> send(Socket sender, byte[] data, boolean finAfter) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = sender.getOutputStream();
                out.write(data);
                out.flush();
                if (finAfter) {
                    sender.shutdownOutput();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Received receiveAll(Socket receiver) throws IOException {
        CRC32C crc = new CRC32C();
        long length = 0;
        byte[] chunk = new byte[8192];
        InputStream in = receiver.getInputStream();
        for (int n; (n = in.read(chunk)) >= 0; ) {
            crc.update(chunk, 0, n);
            length += n;
        }
        return new Received(length, crc.getValue());
    }

    private static byte[] randomBytes(int length) {
        byte[] data = new byte[length];
        new Random(length).nextBytes(data);
        return data;
    }

    private static long crc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return crc.getValue();
    }

    private record Relayed(SplicingSocketChannel source, SplicingSocketChannel target, Socket sender, Socket receiver,
            Forward forward) {
    }

    private record Received(long length, long crc) {
    }

    /** The relay's job in miniature: what the source reads goes to the target, its FIN too. */
    private static final class Forward extends ChannelInboundHandlerAdapter {
        private final SplicingSocketChannel source;
        private final Channel target;
        private final long switchAfter;
        private final AtomicInteger spliced = new AtomicInteger();
        private volatile long copied;

        Forward(SplicingSocketChannel source, Channel target, long switchAfter) {
            this.source = source;
            this.target = target;
            this.switchAfter = switchAfter;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws IOException {
            if (message instanceof ByteBuf buffer) {
                copied += buffer.readableBytes();
                if (copied >= switchAfter && !source.isSplicing()) {
                    SplicePipe.into(source, target);
                }
            } else if (message instanceof SplicedBytes) {
                spliced.incrementAndGet();
            }
            target.write(message, target.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            target.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> ((SplicingSocketChannel) target).shutdownOutput());
            }
        }
    }
}
