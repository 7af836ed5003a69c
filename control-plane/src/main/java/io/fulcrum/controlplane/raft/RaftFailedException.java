package io.fulcrum.controlplane.raft;

/**
 * A Raft operation failed for a reason other than leadership (timeout, shutdown, a rejected
 * membership change); the message carries JRaft's explanation.
 */
public final class RaftFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RaftFailedException(String message) {
        super(message);
    }

    public RaftFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
