package io.fulcrum.dataplane.lifecycle;

/** What makes this node a candidate for its VIPs (the VIP supervisor): step 1 of a {@link Drain} ends it. */
@FunctionalInterface
public interface VipCandidacy {
    /** A node without VIPs: nothing to leave. */
    VipCandidacy NONE = () -> { };

    /** Stops being a candidate; returns once another node holds the VIPs this one held (or a bounded time passed). */
    void leave();
}
