package io.fulcrum.dataplane.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PreconditionsTest {
    private static final UnaryOperator<String> CI = Map.of("CI", "true")::get;
    private static final UnaryOperator<String> LOCAL = name -> null;

    @Test
    void aMissingPreconditionSkipsOutsideCi() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> Preconditions.require(false, "no epoll", LOCAL));
        assertTrue(skipped.getMessage().contains("no epoll"), skipped.getMessage());
        assertFalse(Preconditions.available(false, "no epoll", LOCAL));
    }

    @Test
    void aMissingPreconditionFailsInCi() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Preconditions.require(false, "no epoll", CI));
        assertTrue(failed.getMessage().contains("no epoll"), failed.getMessage());
        assertThrows(AssertionFailedError.class, () -> Preconditions.available(false, "no epoll", CI));
    }

    @Test
    void aPreconditionThatHoldsPassesEverywhere() {
        Preconditions.require(true, "no epoll", CI);
        Preconditions.require(true, "no epoll", LOCAL);
        assertTrue(Preconditions.available(true, "no epoll", CI));
    }
}
