package io.fulcrum.dataplane.lifecycle.takeover;

/** A takeover that cannot go ahead; the message says why and what to do. The running process keeps serving. */
public final class TakeoverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TakeoverException(String message) {
        super(message);
    }

    public TakeoverException(String message, Throwable cause) {
        super(message, cause);
    }
}
