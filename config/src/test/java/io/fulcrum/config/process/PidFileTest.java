package io.fulcrum.config.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class PidFileTest {
    @Test
    void holdsThisProcessIdAndIsRemovedOnClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/fulcrum/dp1.pid");
        try (PidFile pid = PidFile.write(file)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(file));
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aFileTakenOverByAnotherProcessIsLeftAlone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dp1.pid");
        PidFile pid = PidFile.write(file);
        Files.writeString(file, "1\n");
        pid.close();
        assertEquals("1\n", Files.readString(file));
    }

    @Test
    void durationsReadAsFlagsGiveThem() {
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
        assertEquals(Duration.ZERO, DurationText.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("30"));
    }
}
