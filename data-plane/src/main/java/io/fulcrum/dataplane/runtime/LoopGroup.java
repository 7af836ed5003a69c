package io.fulcrum.dataplane.runtime;

import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A configured event-loop group as one applied config sees it: its loops in config order, and a
 * round-robin choice over them. Immutable apart from the round-robin position.
 */
public final class LoopGroup {
    private final String name;
    private final List<LoopKey> keys;
    private final List<EventLoop> loops;
    private final AtomicInteger next = new AtomicInteger();

    LoopGroup(String name, List<LoopKey> keys, List<EventLoop> loops) {
        this.name = name;
        this.keys = List.copyOf(keys);
        this.loops = List.copyOf(loops);
    }

    public String name() {
        return name;
    }

    public List<LoopKey> keys() {
        return keys;
    }

    public List<EventLoop> loops() {
        return loops;
    }

    /** The next loop in round-robin order. */
    public EventLoop next() {
        return loops.size() == 1 ? loops.get(0) : loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }
}
