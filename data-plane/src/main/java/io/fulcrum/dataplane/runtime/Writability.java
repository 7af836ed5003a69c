package io.fulcrum.dataplane.runtime;

import io.netty.channel.Channel;

/** The backpressure rule of both relays (TCP and HTTP). */
public final class Writability {
    private Writability() {
    }

    /**
     * Whether {@code channel} takes more once what is queued for it was flushed. Called when a
     * write may have passed the high-water mark: a peer that drains as fast as the other side
     * reads (loopback, a fast client) takes the queue at once, so the reading side is paused only
     * if the queue is still full; pausing needlessly costs two epoll changes per buffer.
     */
    public static boolean afterFlush(Channel channel) {
        if (channel.isWritable()) {
            return true;
        }
        channel.flush();
        return channel.isWritable();
    }
}
