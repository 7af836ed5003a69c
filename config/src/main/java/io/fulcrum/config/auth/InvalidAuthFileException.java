package io.fulcrum.config.auth;

/** A token or auth file that cannot be used; the message names the file, the line and the rule. */
public final class InvalidAuthFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidAuthFileException(String message) {
        super(message);
    }

    InvalidAuthFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
