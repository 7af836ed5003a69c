package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(10)
class DurationFlagTest {
    @Test
    void aNumberAndAUnitOrZero() {
        assertEquals(Duration.ofHours(24), DurationFlag.parse("24h"));
        assertEquals(Duration.ofMillis(500), DurationFlag.parse("500ms"));
        assertEquals(Duration.ofDays(7), DurationFlag.parse("7d"));
        assertEquals(Duration.ZERO, DurationFlag.parse("0"));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationFlag.parse("1 day"));
        assertEquals("'1 day' is not a duration (expected: a number and one of ms, s, m, h, d, e.g. 24h; or 0)", e.getMessage());
    }
}
