package io.fulcrum.dataplane.balance;

/**
 * What a {@link Selector} needs to know about a server. {@link #weight()} and {@link #hashKey()}
 * are fixed for the candidate's lifetime; {@link #available()} and {@link #activeConnections()}
 * read live state and may change at any time, from any thread.
 */
public interface Candidate {
    /** 0..1000; 0 takes no new connections. */
    int weight();

    /** True when the candidate may take a new connection (weight above 0 and not DOWN). */
    boolean available();

    /** Connections open to this candidate right now (weighted least connections). */
    int activeConnections();

    /** A stable identity that every node derives the same way (consistent hashing). */
    String hashKey();

    /**
     * The fraction of its weight's share the candidate takes right now: 1 normally, less during a
     * slow start (see {@link SlowStart}). Read live, from any thread.
     */
    default double rampFactor() {
        return 1.0;
    }

    /** 0..65535, fixed: candidates with the lowest value are picked first; others are backups. */
    default int priority() {
        return 0;
    }
}
