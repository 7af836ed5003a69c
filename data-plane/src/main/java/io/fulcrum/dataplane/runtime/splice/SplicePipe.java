package io.fulcrum.dataplane.runtime.splice;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.epoll.SpliceSink;
import io.netty.channel.epoll.SplicingSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * The pipe one direction of a connection is spliced through: the source channel's read loop
 * splices from its socket into the pipe ({@link #fill}), the target channel's flush splices from
 * the pipe into its socket ({@link SplicedBytes}). The bytes never enter user space. The source
 * fills the pipe only while it is empty, so a {@link #fill} that moves nothing never means the pipe
 * was full (the socket was empty, at its end, or at urgent data); and the pipe bounds what a
 * spliced direction holds to {@link #CAPACITY}.
 *
 * <p>Confined to the event loop both channels share. The pipe is closed when the source is closed
 * and every {@link SplicedBytes} handed out has been written or dropped. It uses only Netty's
 * public API ({@code Native.splice}, descriptors), so it lives outside Netty's package.
 */
public final class SplicePipe implements SpliceSink {
    /** Linux's default pipe size (16 pages): the most one splice moves. */
    static final int CAPACITY = 65536;

    private final FileDescriptor readEnd;
    private final FileDescriptor writeEnd;
    private final FileDescriptor target;
    private final Runnable drained;
    private int queued;
    private int outstanding;
    private boolean sourceClosed;
    private boolean sourceWaiting;

    /**
     * Makes {@code source} splice from now on into {@code target}, an epoll socket on the same
     * event loop: its reads deliver {@link SplicedBytes} to be written to {@code target} and
     * nowhere else. Call on the event loop.
     *
     * @throws IOException if no pipe can be made (descriptors exhausted: the source keeps copying)
     * @throws IllegalArgumentException if {@code target} cannot take spliced bytes
     */
    public static void into(SplicingSocketChannel source, Channel target) throws IOException {
        if (!(target instanceof AbstractEpollStreamChannel epollTarget) || target.eventLoop() != source.eventLoop()) {
            throw new IllegalArgumentException("splice needs an epoll socket on the same event loop, got " + target);
        }
        source.spliceInto(resume -> new SplicePipe(epollTarget.fd(), resume));
    }

    /** @param drained run when the pipe is empty again after the source stopped for it */
    private SplicePipe(FileDescriptor target, Runnable drained) throws IOException {
        FileDescriptor[] pipe = FileDescriptor.pipe();
        this.readEnd = pipe[0];
        this.writeEnd = pipe[1];
        this.target = target;
        this.drained = drained;
    }

    /**
     * Splices what {@code source} has to read into the pipe.
     *
     * @return the bytes moved, to be written to the target; null if it moved nothing
     */
    @Override
    public SplicedBytes fill(FileDescriptor source) throws IOException {
        int spliced = Native.splice(source.intValue(), -1, writeEnd.intValue(), -1, CAPACITY);
        if (spliced == 0) {
            return null;
        }
        queued += spliced;
        outstanding++;
        return new SplicedBytes(this, spliced);
    }

    /** True while bytes wait in the pipe: the source must not fill it. */
    @Override
    public boolean hasQueued() {
        return queued > 0;
    }

    /** The source stopped because bytes wait in the pipe: {@code drained} runs once they are written. */
    @Override
    public void sourceWaits() {
        sourceWaiting = true;
    }

    /** Splices up to {@code length} bytes from the pipe into the target's socket: 0 if it takes none now. */
    int drain(int length) throws IOException {
        int spliced = Native.splice(readEnd.intValue(), -1, target.intValue(), -1, length);
        queued -= spliced;
        if (queued == 0 && sourceWaiting) {
            sourceWaiting = false;
            drained.run();
        }
        return spliced;
    }

    void released() {
        outstanding--;
        closeIfUnused();
    }

    @Override
    public void sourceClosed() {
        sourceClosed = true;
        closeIfUnused();
    }

    private void closeIfUnused() {
        if (sourceClosed && outstanding == 0 && readEnd.isOpen()) {
            close(readEnd);
            close(writeEnd);
        }
    }

    private static void close(FileDescriptor end) {
        try {
            end.close();
        } catch (IOException ignored) {
            // close(2) releases the descriptor even when it reports an error
        }
    }
}
