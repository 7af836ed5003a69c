package io.fulcrum.dataplane.runtime;

/** One configured event loop: a loop is reused across configs while its (group, loop) names stay. */
public record LoopKey(String group, String loop) {
    @Override
    public String toString() {
        return group + "/" + loop;
    }
}
