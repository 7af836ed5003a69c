package io.fulcrum.dataplane.testing;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (native epoll, for example). Where it is missing the test
 * is skipped with the reason, except in CI ({@code CI=true}), where the machine is set up for
 * every test and a missing precondition is a failure: a test must never skip there unseen.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /**
     * Skips the test with {@code why} when {@code holds} is false; fails it when {@code CI=true}.
     *
     * @param why what is missing, for example "native epoll is not available here"
     */
    public static void require(boolean holds, String why) {
        require(holds, why, System::getenv);
    }

    /**
     * For a check inside a test that runs anyway: false where the precondition is missing (the
     * caller leaves that check out); fails when {@code CI=true}.
     */
    public static boolean available(boolean holds, String why) {
        return available(holds, why, System::getenv);
    }

    static void require(boolean holds, String why, UnaryOperator<String> environment) {
        if (!available(holds, why, environment)) {
            Assumptions.assumeTrue(false, why);
        }
    }

    static boolean available(boolean holds, String why, UnaryOperator<String> environment) {
        if (!holds && inCi(environment)) {
            Assertions.fail(why + " (CI=true: this must hold in CI, the test may not skip)");
        }
        return holds;
    }

    private static boolean inCi(UnaryOperator<String> environment) {
        return "true".equalsIgnoreCase(environment.apply("CI"));
    }
}
