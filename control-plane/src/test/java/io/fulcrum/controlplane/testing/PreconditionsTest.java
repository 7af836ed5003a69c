package io.fulcrum.controlplane.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

@Timeout(10)
class PreconditionsTest {
    @Test
    void aMissingPreconditionSkipsOutsideCiAndFailsInCi() {
        assertThrows(TestAbortedException.class, () -> Preconditions.require(false, "x is missing", false));
        assertThrows(AssertionFailedError.class, () -> Preconditions.require(false, "x is missing", true));
        assertDoesNotThrow(() -> Preconditions.require(true, "x is missing", true));
    }
}
