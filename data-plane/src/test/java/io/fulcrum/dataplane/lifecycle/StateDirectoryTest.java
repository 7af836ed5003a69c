package io.fulcrum.dataplane.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class StateDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void theSystemDirectoryWhenItExistsElseTheHomeDirectory() throws IOException {
        Path system = dir.resolve("var-lib-fulcrum");
        Path home = dir.resolve("home").resolve(".fulcrum");
        assertEquals(home.resolve("dp1"), StateDirectory.defaultFor("dp1", system, home));
        Files.createDirectories(system);
        assertEquals(system.resolve("dp1"), StateDirectory.defaultFor("dp1", system, home));
    }

    @Test
    void aNodeIdIsOneSafePathElement() {
        assertEquals(dir.resolve("edge_1_a_b"), StateDirectory.defaultFor("edge/1 a:b", dir.resolve("none"), dir));
        assertEquals(dir.resolve("__"), StateDirectory.defaultFor("..", dir.resolve("none"), dir));
    }
}
