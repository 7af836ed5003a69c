package io.fulcrum.config.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (root, a network namespace, an installed tool, native epoll).
 * On a developer's machine a missing precondition skips the test with the reason; where
 * {@code CI=true} it fails it, because {@code .ci/run} installs everything the tests need and a
 * test that skips there proves nothing.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** True where the environment says this is CI ({@code CI=true}). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, in CI, fails) the calling test unless {@code met}; {@code what} says what is missing and how to get it. */
    public static void require(boolean met, String what) {
        require(met, what, inCi());
    }

    static void require(boolean met, String what, boolean ci) {
        if (met) {
            return;
        }
        if (ci) {
            Assertions.fail("CI=true but this test's precondition is missing: " + what
                    + " (.ci/run installs what the tests need; a test must not skip in CI)");
        }
        Assumptions.abort(what);
    }

    /**
     * For a check inside a test that runs anyway: false where the precondition is missing (the
     * caller leaves that check out); fails the test where {@code CI=true}.
     */
    public static boolean available(boolean met, String what) {
        return available(met, what, inCi());
    }

    static boolean available(boolean met, String what, boolean ci) {
        if (!met && ci) {
            require(false, what, true);
        }
        return met;
    }

    /** {@link #require} for an executable on the PATH or at an absolute path. */
    public static void requireExecutable(String path, String installHint) {
        require(java.nio.file.Files.isExecutable(java.nio.file.Path.of(path)), path + " is not installed (" + installHint + ")");
    }
}
