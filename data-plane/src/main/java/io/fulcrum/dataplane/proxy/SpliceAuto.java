package io.fulcrum.dataplane.proxy;

import io.netty.buffer.ByteBuf;

/**
 * When one direction of a TCP connection stops copying and starts splicing (HAProxy's
 * {@code splice-auto}): once it has read {@link #STREAM_BYTES} in reads that filled their buffer,
 * without two read batches in a row that filled none. A full read means more was waiting than
 * the buffer holds: a stream. A single short batch does not end a stream (a sender's write
 * boundary, a paused reader catching up); two in a row do. Request/response traffic with
 * messages smaller than the buffer never switches; there splice costs more than copying
 * (docs/BENCHMARKS.md). The switch is for the life of the connection.
 *
 * <p>Only a splicing socket can splice ({@code Transport.spliceInto}): on epoll, unless the
 * start check fell back to Netty's channels, both the accepted client sockets and the sockets
 * connected to servers are. One per direction, used on the connection's event loop.
 */
final class SpliceAuto {
    static final int STREAM_BYTES = 256 * 1024;

    private long streamed;
    private boolean fullReadInBatch;
    private int quietBatches;
    private boolean decided;

    /** A buffer was read. */
    void read(ByteBuf buffer) {
        if (!decided && buffer.writableBytes() == 0) {
            streamed += buffer.readableBytes();
            fullReadInBatch = true;
        }
    }

    /** A read batch ended: true, once, when the direction turns out to stream. */
    boolean batchEnded() {
        if (decided) {
            return false;
        }
        if (!fullReadInBatch) {
            if (++quietBatches == 2) {
                quietBatches = 0;
                streamed = 0;
            }
            return false;
        }
        fullReadInBatch = false;
        quietBatches = 0;
        decided = streamed >= STREAM_BYTES;
        return decided;
    }
}
