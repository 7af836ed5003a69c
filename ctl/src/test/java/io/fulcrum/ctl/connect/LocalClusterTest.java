package io.fulcrum.ctl.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class LocalClusterTest {

    @Test
    void aLocalClusterIsFoundFromASubdirectory(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve(".fulcrum"));
        Files.writeString(dir.resolve(".fulcrum/auth.conf"), "# tokens\noperator op-token-1234567890 alice\ndata-plane dp-token-1234567890\n");
        Files.writeString(dir.resolve(".fulcrum/fctl.conf"), "servers=127.0.0.1:9001, 127.0.0.1:9002\ntoken-file=auth.conf\n");
        Path sub = Files.createDirectories(dir.resolve("a/b"));
        LocalCluster found = LocalCluster.find(sub, dir.resolve("home")).orElseThrow();
        assertEquals(List.of("127.0.0.1:9001", "127.0.0.1:9002"), found.servers());
        assertEquals("op-token-1234567890", LocalCluster.tokenIn(found.tokenFile()));
    }

    @Test
    void theDefaultSingleNodesTokensAreFoundInHome(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".fulcrum/cp1"));
        Files.writeString(home.resolve(".fulcrum/cp1/auth.conf"), "operator generated-token-123456\n");
        LocalCluster found = LocalCluster.find(home.resolve("elsewhere"), home).orElseThrow();
        assertTrue(found.servers().isEmpty());
        assertEquals("generated-token-123456", LocalCluster.tokenIn(found.tokenFile()));
    }

    @Test
    void aTokenFileWithSeveralLinesAndNoOperatorIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t");
        Files.writeString(file, "viewer a-token-12345678901\ndata-plane b-token-1234567890\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LocalCluster.tokenIn(file)).getMessage()
                .startsWith("no operator token in"));
    }
}
