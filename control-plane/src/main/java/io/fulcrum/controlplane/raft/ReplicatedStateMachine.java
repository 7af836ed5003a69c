package io.fulcrum.controlplane.raft;

/**
 * The state a {@link RaftServer} replicates. All methods are called from the single Raft apply
 * thread, in log order; {@link #apply} must be deterministic.
 */
public interface ReplicatedStateMachine {
    /**
     * Applies one committed entry.
     *
     * @param index the entry's Raft log index
     * @return what the proposer of the entry gets (ignored on other members)
     */
    Object apply(byte[] entry, long index);

    /** The whole state, for a Raft snapshot. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot taken by {@link #snapshot()} (possibly on another member). */
    void restore(byte[] snapshot);

    /** Called when this member becomes leader. */
    default void onLeaderStart(long term) {
    }
}
