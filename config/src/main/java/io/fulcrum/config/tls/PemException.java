package io.fulcrum.config.tls;

/**
 * PEM text that is not what it must be. The message says what is wrong, worded to follow the
 * parameter's name ("cert: certificate 2 does not parse: ..."); it never holds key material.
 */
public final class PemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PemException(String message) {
        super(message);
    }
}
