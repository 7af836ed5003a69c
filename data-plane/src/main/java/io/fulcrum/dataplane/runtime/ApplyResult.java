package io.fulcrum.dataplane.runtime;

/**
 * What became of one config handed to {@code DataPlane.apply}: applied at its version, or
 * rejected with a message a person can act on (the running config is then untouched).
 */
public final class ApplyResult {
    private final boolean applied;
    private final long version;
    private final String error;

    private ApplyResult(boolean applied, long version, String error) {
        this.applied = applied;
        this.version = version;
        this.error = error;
    }

    public static ApplyResult applied(long version) {
        return new ApplyResult(true, version, null);
    }

    /** @param version the version of the rejected config */
    public static ApplyResult rejected(long version, String error) {
        return new ApplyResult(false, version, error);
    }

    public boolean isApplied() {
        return applied;
    }

    /** The version of the config this result is about. */
    public long version() {
        return version;
    }

    /** Why the config was rejected; null when it was applied. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return applied ? "applied version " + version : "rejected version " + version + ": " + error;
    }
}
