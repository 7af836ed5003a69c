package io.fulcrum.dataplane.runtime;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;

/**
 * A listener's buffer limits as Netty channel settings. {@code in} bytes (client to server) are
 * read from the client at most {@code in-buffer-size} at a time and queued towards the server up
 * to {@code in-buffer-size} before the client is paused; {@code out} the same way back. So the
 * memory a connection holds stays below about twice the sum of both sizes.
 */
public record Buffers(RecvByteBufAllocator clientReads, WriteBufferWaterMark clientWrites,
        RecvByteBufAllocator backendReads, WriteBufferWaterMark backendWrites) {
    /** Netty's own ceiling for one read. */
    private static final int MAX_READ = 65536;

    public static Buffers of(int inBufferSize, int outBufferSize) {
        return new Buffers(reads(inBufferSize), writes(outBufferSize), reads(outBufferSize), writes(inBufferSize));
    }

    /** The listener's {@code in-buffer-size}: what may wait for the server, client to server. */
    public int inBufferSize() {
        return backendWrites.high();
    }

    private static RecvByteBufAllocator reads(int size) {
        int max = Math.min(size, MAX_READ);
        return new AdaptiveRecvByteBufAllocator(Math.min(64, max), Math.min(2048, max), max);
    }

    private static WriteBufferWaterMark writes(int size) {
        return new WriteBufferWaterMark(size / 2, size);
    }
}
