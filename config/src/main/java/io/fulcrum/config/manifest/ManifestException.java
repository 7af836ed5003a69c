package io.fulcrum.config.manifest;

/** A manifest that cannot be read: the message names the document, the key and what is allowed. */
public final class ManifestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ManifestException(String message) {
        super(message);
    }
}
