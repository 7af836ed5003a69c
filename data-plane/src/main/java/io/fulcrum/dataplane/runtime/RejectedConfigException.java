package io.fulcrum.dataplane.runtime;

/**
 * A config this node cannot apply although it is valid (an address that cannot be bound, a
 * feature this data plane does not have). The caller keeps the running config and reports the
 * message, which says what failed.
 */
public final class RejectedConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RejectedConfigException(String message) {
        super(message);
    }

    public RejectedConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
