package io.netty.channel.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;

/**
 * An epoll socket channel whose reads can be switched to {@code splice(2)}: after
 * {@link #spliceInto}, what arrives on this socket is moved into a pipe and from there into the
 * target socket inside the kernel, instead of being copied into a buffer and out again. Reads
 * then deliver what the {@link SpliceSink} makes (Fulcrum's pipe hands out a
 * {@link io.netty.channel.FileRegion}) through the pipeline,
 * which the handler writes to the target like any buffer; everything else (FIN, errors, autoRead,
 * channelReadComplete) behaves as before. Until then it is an ordinary edge-triggered epoll
 * socket.
 *
 * <p>Netty's own {@code spliceTo} needs level-triggered channels and can drop bytes when a FIN
 * arrives while the pipe is full, so it is not used. This class lives in Netty's package because
 * it extends Netty's read loop (package-private {@code epollInReady}, {@code shutdownInput},
 * {@code readPending}, {@code doConnect0}); it is tied to the pinned Netty version, checked by
 * {@code SplicingSocketChannelTest} and, at start, by Fulcrum's {@code SplicingChannels.verify}.
 *
 * <p>System calls Netty's socket channel makes and this one does not: closing it does not query
 * SO_LINGER first (Netty does, to support a lingering close, which nothing here uses) and does not
 * take the socket out of the epoll set with {@code EPOLL_CTL_DEL} (closing the descriptor does
 * that); the end of the input is remembered without {@code shutdown(SHUT_RD)}, and read interest
 * is dropped together with the FIN's event in one {@code epoll_ctl} instead of two. The local
 * address is asked for ({@code getsockname}) when something wants it, not when a socket is
 * accepted or connects.
 */
public final class SplicingSocketChannel extends AbstractEpollStreamChannel implements SocketChannel {
    /** Splices per wake-up before other channels get their turn (Netty's default for reads). */
    private static final int MAX_SPLICES_PER_WAKEUP = 16;
    /** What a plain read takes when a splice moved nothing (see {@code readPlain}). */
    private static final int PLAIN_READ_BYTES = 2048;

    private final SplicingSocketChannelConfig config;
    /** The listener that accepted this socket, null for a socket this side connects. */
    private final SplicingServerSocketChannel listener;
    /** The peer's address where Netty's own field does not have it: accepted, or connected at once. */
    private volatile SocketAddress knownRemote;
    private volatile SocketAddress knownLocal;
    /** Set on the loop by {@link #spliceInto}; package-private for the test. */
    SpliceSink splice;
    private volatile boolean inputEnded;

    public SplicingSocketChannel(InternetProtocolFamily family) {
        super(LinuxSocket.newSocketStream(family), false);
        config = new SplicingSocketChannelConfig(this, false);
        listener = null;
    }

    /** An accepted connection of {@code parent}. */
    SplicingSocketChannel(SplicingServerSocketChannel parent, LinuxSocket fd, InetSocketAddress remote) {
        // Netty's constructor for an accepted socket asks for its local address at once; this one asks nothing
        super(fd, false);
        config = new SplicingSocketChannelConfig(this, true);
        listener = parent;
        knownRemote = remote;
        active = true;
    }

    /**
     * From now on what this channel reads is spliced into the sink {@code sinks} makes: reads
     * deliver the sink's messages instead of buffers. Call on the event loop; once only (later
     * calls do nothing).
     *
     * @throws IOException if the sink cannot be made (the channel then keeps copying)
     */
    public void spliceInto(SpliceSink.Factory sinks) throws IOException {
        if (splice == null && isOpen()) {
            SplicingUnsafe unsafe = (SplicingUnsafe) unsafe();
            splice = sinks.open(() -> unsafe.executeEpollInReadyRunnable(config));
        }
    }

    public boolean isSplicing() {
        return splice != null;
    }

    /** The end of the input was read (see {@code SplicingUnsafe.shutdownInput}). */
    @Override
    public boolean isInputShutdown() {
        return inputEnded || super.isInputShutdown();
    }

    @Override
    public SplicingSocketChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public ServerSocketChannel parent() {
        return listener;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        SocketAddress remote = super.remoteAddress0();
        return remote != null ? remote : knownRemote;
    }

    /** Asked for once the socket is connected, then kept; null before (unless Netty bound it). */
    @Override
    protected SocketAddress localAddress0() {
        SocketAddress local = knownLocal;
        if (local == null) {
            local = super.localAddress0();
            if (local == null && isActive()) {
                knownLocal = local = socket.localAddress();
            }
        }
        return local;
    }

    /**
     * Netty's {@code doConnect} plus a {@code getsockname} right after {@code connect()}, to
     * record the local address; here {@link #localAddress0} asks for it when it is wanted.
     */
    @Override
    protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
        if (localAddress != null || !(remoteAddress instanceof InetSocketAddress remote)) {
            return super.doConnect(remoteAddress, localAddress);
        }
        checkResolvable(remote);
        if (remoteAddress0() != null) {
            throw new AlreadyConnectedException();
        }
        boolean connected = doConnect0(remote);
        if (connected) {
            knownRemote = remote;
        }
        return connected;
    }

    @Override
    protected AbstractEpollUnsafe newUnsafe() {
        return new SplicingUnsafe();
    }

    /**
     * Netty's {@code doClose} deregisters the socket before closing it, with an
     * {@code EPOLL_CTL_DEL} it skips only for a closed socket. Closing the descriptor first takes
     * it out of the epoll set with no system call of its own; the loop forgets the channel in the
     * same call, before anything could reuse the number. Netty's close of the descriptor is then
     * a no-op: the descriptor remembers it is closed.
     */
    @Override
    protected void doClose() throws Exception {
        try {
            socket.close();
        } finally {
            try {
                super.doClose();
            } finally {
                if (splice != null) {
                    splice.sourceClosed();
                }
            }
        }
    }

    private final class SplicingUnsafe extends EpollStreamUnsafe {
        @Override
        void epollInReady() {
            if (inputEnded) {
                // after the end of the stream there is nothing to read (Netty would read again on the FIN's event)
                clearEpollIn0();
            } else if (splice == null) {
                super.epollInReady();
            } else {
                spliceIn();
            }
        }

        /**
         * The end of the input was read. With half-closure allowed, Netty calls
         * {@code shutdown(SHUT_RD)} to remember that, a system call that changes nothing once
         * the peer's FIN has been read; here a flag remembers it.
         *
         * <p>While EPOLLRDHUP is still wanted, read interest is dropped in {@code flags} only: the
         * FIN comes with EPOLLRDHUP, whose event Netty clears next with an {@code epoll_ctl} that
         * then drops both (a FIN read before its EPOLLRDHUP was reported brings that event on the
         * next wake-up). Until then the socket is edge-triggered and has nothing more to say but a
         * hang-up, which {@link #epollInReady} ignores. If EPOLLRDHUP was cleared already (the end
         * was read later, after a full pipe drained or in a task that continued a long read), read
         * interest is dropped with its own call.
         */
        @Override
        void shutdownInput(boolean rdHup) {
            if (inputEnded || !isOpen()) {
                return;
            }
            if (config.isAllowHalfClosure()) {
                inputEnded = true;
                if (isFlagSet(Native.EPOLLRDHUP)) {
                    readPending = false;
                    flags &= ~Native.EPOLLIN;
                } else {
                    clearEpollIn0();
                }
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            } else {
                close(voidPromise());
            }
        }

        /**
         * Edge-triggered: splices until the socket has nothing more, the pipe still holds bytes
         * the target did not take (resumed when it drains), reads are paused, the channel was
         * closed, or the round's quota is used up (resumed by a task).
         */
        private void spliceIn() {
            ChannelConfig config = config();
            if (shouldBreakEpollInReady(config)) {
                clearEpollIn0();
                return;
            }
            epollInBefore();
            ChannelPipeline pipeline = pipeline();
            boolean end = false;
            try {
                for (int round = 0; config.isAutoRead() && !shouldBreakEpollInReady(config); round++) {
                    if (splice.hasQueued()) {
                        splice.sourceWaits();
                        break;
                    }
                    if (round == MAX_SPLICES_PER_WAKEUP) {
                        executeEpollInReadyRunnable(config);
                        break;
                    }
                    Object spliced = splice.fill(socket);
                    if (spliced == null) {
                        int read = readPlain(pipeline);
                        end = read < 0;
                        if (read <= 0) {
                            break;
                        }
                    } else {
                        pipeline.fireChannelRead(spliced);
                        // the handler flushes the target here: the bytes leave the pipe at once if it takes them
                        pipeline.fireChannelReadComplete();
                    }
                    if (!isOpen()) {
                        // closed by a handler: its descriptor number may already belong to another socket
                        return;
                    }
                }
            } catch (Throwable cause) {
                pipeline.fireExceptionCaught(cause);
                end = true;
            }
            if (end && isOpen()) {
                shutdownInput(false);
            }
        }

        /**
         * A splice that moved nothing from an empty pipe means the socket is empty, at its end, or
         * stopped at urgent (out-of-band) data, which splice never steps over. One plain read tells
         * them apart: -1 at the end, 0 if empty; bytes (read past the urgent mark) are passed on
         * like any read, and the pipe being empty keeps them in order.
         */
        private int readPlain(ChannelPipeline pipeline) throws Exception {
            ByteBuf buffer = config().getAllocator().ioBuffer(PLAIN_READ_BYTES);
            int read;
            try {
                read = doReadBytes(buffer);
            } catch (Throwable cause) {
                buffer.release();
                throw cause;
            }
            if (read <= 0) {
                buffer.release();
                return read;
            }
            pipeline.fireChannelRead(buffer);
            pipeline.fireChannelReadComplete();
            return read;
        }
    }
}
