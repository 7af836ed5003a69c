package io.fulcrum.controlplane.api;

/**
 * A request the control plane cannot serve as sent (a missing or malformed field); retrying it
 * unchanged fails again. The message says which field and what is allowed; clients see it as
 * {@code INVALID_ARGUMENT}. Input in the command language or the config model fails with the
 * config module's {@link io.fulcrum.config.ConfigException}s instead.
 */
public final class InvalidRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
