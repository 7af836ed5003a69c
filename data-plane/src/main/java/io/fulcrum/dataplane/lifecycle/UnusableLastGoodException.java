package io.fulcrum.dataplane.lifecycle;

/**
 * A last-good file that cannot be used: the caller starts without it and moves the file aside.
 * {@link #kind()} says whether it is damaged or was never one of ours.
 */
public final class UnusableLastGoodException extends RuntimeException {
    /** Why the file cannot be used. */
    public enum Kind {
        /** a last-good file, damaged: bad checksum, truncated, unparsable config, header and config disagree */
        CORRUPT,
        /** not a last-good file of this format: wrong magic, or a format version this build does not read */
        FOREIGN
    }

    private final Kind kind;

    UnusableLastGoodException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
