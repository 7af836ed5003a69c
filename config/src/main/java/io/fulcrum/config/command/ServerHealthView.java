package io.fulcrum.config.command;

/**
 * How {@code list-detail server} learns the state of a server: the control plane aggregates what
 * the data-plane nodes report. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ServerHealthView {
    /** Nobody has reported anything: every server is UNKNOWN. */
    ServerHealthView NONE = (group, server) -> "UNKNOWN";

    /** "UP", "DOWN", "PARTIAL (1/2 nodes UP)" or "UNKNOWN". */
    String state(String serverGroup, String server);
}
