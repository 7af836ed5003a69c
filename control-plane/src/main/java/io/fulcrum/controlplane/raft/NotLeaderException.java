package io.fulcrum.controlplane.raft;

/**
 * This member cannot do what was asked because it is not the leader. Retry on the leader (if
 * known) or later: nothing was applied.
 */
public final class NotLeaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String leaderRaftAddress;

    public NotLeaderException(String leaderRaftAddress, String message) {
        super(message);
        this.leaderRaftAddress = leaderRaftAddress;
    }

    /** host:port of the leader's Raft transport, or null when no leader is known. */
    public String leaderRaftAddress() {
        return leaderRaftAddress;
    }
}
