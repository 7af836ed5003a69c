package io.fulcrum.dataplane.runtime.splice;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes waiting in a {@link SplicePipe}, as a message for the target channel's outbound buffer:
 * Netty's flush writes them with {@link #transferTo}, in order with the buffers written before
 * them, and retries when the socket is writable again. Only meaningful on the target the pipe was
 * made for (the channel argument of {@code transferTo} is that target's).
 */
public final class SplicedBytes extends AbstractReferenceCounted implements FileRegion {
    private final SplicePipe pipe;
    private final int count;
    private int transferred;

    SplicedBytes(SplicePipe pipe, int count) {
        this.pipe = pipe;
        this.count = count;
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        int spliced = pipe.drain(count - transferred);
        transferred += spliced;
        return spliced;
    }

    @Override
    public SplicedBytes retain() {
        super.retain();
        return this;
    }

    @Override
    public SplicedBytes retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public SplicedBytes touch() {
        return this;
    }

    @Override
    public SplicedBytes touch(Object hint) {
        return this;
    }

    @Override
    protected void deallocate() {
        pipe.released();
    }
}
