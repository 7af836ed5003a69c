package io.fulcrum.config;

/**
 * Base of every error the config library reports: a command that does not parse, a mutation
 * that does not validate. The message is one line a person can act on; it names the command,
 * the parameter and what is allowed. {@link #reason()} says how a server should classify it
 * (one place maps it to gRPC status codes and fctl exit codes).
 */
public abstract class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How the failure should be classified by callers. */
    public enum Reason {
        /** Malformed or invalid input; retrying the same input fails again. */
        INVALID_ARGUMENT,
        /** A named resource does not exist. */
        NOT_FOUND,
        /** A resource with that name exists already. */
        ALREADY_EXISTS,
        /** The current config forbids it (resource in use, expected version moved). */
        FAILED_PRECONDITION
    }

    private final Reason reason;

    protected ConfigException(Reason reason, String message) {
        super(requireText(message));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    private static String requireText(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a ConfigException needs a message");
        }
        return message;
    }
}
