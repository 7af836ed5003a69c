package io.fulcrum.controlplane.api;

/** The caller's role may not do this; a token with another role may. */
public final class PermissionDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String message) {
        super(message);
    }
}
