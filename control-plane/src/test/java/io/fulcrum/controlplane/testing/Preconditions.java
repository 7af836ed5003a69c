package io.fulcrum.controlplane.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a tool, a kernel file). Where it is missing the test is
 * skipped with the message, except under {@code CI=true}: CI installs everything tests need, so
 * there a missing precondition fails the test instead of skipping it silently.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /** Skips the test (fails it under {@code CI=true}) unless {@code holds}. */
    public static void require(boolean holds, String missing) {
        require(holds, missing, "true".equalsIgnoreCase(System.getenv("CI")));
    }

    static void require(boolean holds, String missing, boolean ci) {
        if (holds) {
            return;
        }
        if (ci) {
            Assertions.fail("CI=true and " + missing + " (.ci/run must install it)");
        }
        Assumptions.abort(missing);
    }

    /** Requires the executable {@code path}, e.g. {@code /usr/bin/redis-cli} (Debian package {@code pkg}). */
    public static void requireExecutable(String path, String pkg) {
        require(Files.isExecutable(Path.of(path)), path + " is not installed (apt-get install " + pkg + ")");
    }
}
