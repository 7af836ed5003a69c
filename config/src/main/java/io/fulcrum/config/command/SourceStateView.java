package io.fulcrum.config.command;

/**
 * How {@code list-detail server-group} learns the state of a discovered group's source (last
 * success, last error): the control-plane leader resolves and knows it. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface SourceStateView {
    /** Nothing is known about any source (a data plane, a standalone interpreter). */
    SourceStateView NONE = group -> null;

    /**
     * The words that follow the group's discovery parameters, e.g.
     * {@code source-state ok servers 2 last-success 2025-03-04T05:06:07Z last-error none}; null
     * when nothing is known.
     */
    String state(String serverGroup);
}
