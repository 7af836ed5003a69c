package io.fulcrum.config.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

@Timeout(10)
class PreconditionsTest {
    @Test
    void aMissingPreconditionSkipsOnADevelopersMachineAndFailsInCi() {
        assertThrows(TestAbortedException.class, () -> Preconditions.require(false, "tmux is not installed", false));
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> Preconditions.require(false, "tmux is not installed", true));
        assertTrue(failed.getMessage().contains("tmux is not installed"), failed.getMessage());
        Preconditions.require(true, "anything", true);
    }

    @Test
    void aCheckInsideATestIsLeftOutOnADevelopersMachineAndFailsInCi() {
        assertTrue(!Preconditions.available(false, "epoll is not available", false));
        assertThrows(AssertionFailedError.class, () -> Preconditions.available(false, "epoll is not available", true));
        assertTrue(Preconditions.available(true, "anything", true));
    }
}
