package io.fulcrum.controlplane.raft;

/**
 * A proposal was handed to the log, then the leader stepped down (or stopped) before it was
 * committed: the change may still be committed by the next leader, or it may be lost. Unlike
 * {@link NotLeaderException} ("not applied, safe to retry") a blind retry may apply it twice; only
 * a retry with the same request id is safe (the change applies at most once).
 */
public final class OutcomeUnknownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutcomeUnknownException(String message) {
        super(message);
    }
}
