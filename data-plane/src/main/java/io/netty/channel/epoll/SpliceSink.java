package io.netty.channel.epoll;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * Where a {@link SplicingSocketChannel}'s reads go once it splices (Fulcrum's
 * {@code io.fulcrum.dataplane.runtime.splice.SplicePipe}). Only the channel's read loop needs
 * Netty's package; the pipe does not, so it lives outside it and this package depends on nothing
 * of Fulcrum's. All methods are called on the channel's event loop.
 */
public interface SpliceSink {
    /** True while spliced bytes wait for the target: the source must not fill the sink. */
    boolean hasQueued();

    /** The source stopped because bytes wait: the sink runs its resume hook once they are written. */
    void sourceWaits();

    /**
     * Splices what {@code source} has to read into the sink.
     *
     * @return the message to pass down the source's pipeline; null if nothing moved
     */
    Object fill(FileDescriptor source) throws IOException;

    /** The source is closed: the sink releases what it holds once nothing refers to it. */
    void sourceClosed();

    /** Makes the sink of one channel. */
    @FunctionalInterface
    interface Factory {
        /** @param resume continues the channel's reads (on its loop) after it waited for the sink */
        SpliceSink open(Runnable resume) throws IOException;
    }
}
