package io.fulcrum.dataplane.http;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The idle server connections of one data plane, one {@link LoopPools} per event loop: a request
 * only ever reuses a connection of its own loop, so no connection crosses threads. Thread-safe.
 */
public final class BackendPools {
    private final ConcurrentHashMap<EventLoop, LoopPools> loops = new ConcurrentHashMap<>();

    /** The pools of {@code loop}; use them on that loop only. */
    public LoopPools of(EventLoop loop) {
        LoopPools pools = loops.get(loop);
        return pools != null ? pools : loops.computeIfAbsent(loop, LoopPools::new);
    }

    /** Idle connections on every loop (for metrics; a racy sum is fine). */
    public int idleConnections() {
        int idle = 0;
        for (LoopPools pools : loops.values()) {
            idle += pools.idleCount();
        }
        return idle;
    }

    /** Forgets the pools of loops that have shut down (their connections are closed with them). */
    public void forgetStoppedLoops() {
        loops.keySet().removeIf(EventLoop::isShuttingDown);
    }
}
