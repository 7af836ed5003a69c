package io.fulcrum.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.ctl.testing.FakeControlPlane;
import io.fulcrum.ctl.testing.FctlHarness;
import io.fulcrum.ctl.testing.FctlHarness.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fctl history, diff and rollback against the fake control plane. */
@Timeout(60)
class HistoryCommandsTest {
    private FakeControlPlane cluster;
    private FctlHarness fctl;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        cluster = new FakeControlPlane(true);
        cluster.exec("add server-group g timeout 500 period 1000 up 2 down 3");
        cluster.exec("add server s1 to server-group g address 127.0.0.1:81\nadd server s2 to server-group g address 127.0.0.1:82");
        cluster.exec("update server s1 in server-group g weight 3");
        cluster.exec("add upstream u");
        fctl = new FctlHarness(dir, Map.of("FULCRUM_SERVER", cluster.address(), "FULCRUM_TOKEN", "op-token-1234567890"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Result ok(String... args) {
        Result result = fctl.run(args);
        assertEquals(0, result.code(), result.toString());
        return result;
    }

    @Test
    void historyListsNewestFirstWithWhoRequestAndCommand() {
        Result result = ok("history", "--limit", "2");
        String[] lines = result.out().split("\n");
        assertEquals(3, lines.length, result.toString());
        assertTrue(lines[0].startsWith("VERSION"), result.toString());
        assertTrue(lines[1].startsWith("4 ") && lines[1].contains("operator") && lines[1].contains("req-4")
                && lines[1].endsWith("add upstream u"), result.toString());
        assertTrue(lines[2].contains("update server s1 in server-group g weight 3"), result.toString());
        assertTrue(ok("history").out().contains("add server s1 to server-group g address 127.0.0.1:81 (+1 more)"));
        assertTrue(ok("history", "-o", "json").out().contains("\"requestId\": \"req-2\""));
    }

    @Test
    void diffShowsCommandsAndTheManifestDiff() {
        Result result = ok("diff", "2", "3");
        assertTrue(result.out().contains("# commands, version 2 -> 3\nupdate server s1 in server-group g weight 3\n"), result.toString());
        assertTrue(result.out().contains("--- version-2.yaml\n+++ version-3.yaml\n"), result.toString());
        assertTrue(result.out().contains("-    weight: 10\n+    weight: 3\n"), result.toString());
        Result none = ok("diff", "4", "--commands");
        assertEquals("# commands, version 4 -> 4: none\n", none.out());
    }

    @Test
    void rollbackCommitsANewVersionEqualToTheOldOne() {
        Result dry = ok("rollback", "2", "--dry-run");
        assertTrue(dry.out().contains("update server s1 in server-group g weight 10"), dry.toString());
        assertTrue(dry.out().contains("remove upstream u"), dry.toString());
        assertEquals(1, ok("history", "--limit", "1").out().split("\n").length - 1);
        assertTrue(ok("history", "--limit", "1").out().contains("add upstream u"), "a dry run commits nothing");

        Result done = ok("rollback", "2");
        assertTrue(done.out().endsWith("rolled back to version 2 as version 5\n"), done.toString());
        assertEquals("# commands, version 2 -> 5: none\n", ok("diff", "2", "--commands").out());
        assertTrue(ok("history", "--limit", "1").out().contains("rollback to version 2"));
        Result again = ok("rollback", "2");
        assertTrue(again.out().contains("nothing to change"), again.toString());
    }

    @Test
    void aVersionOutsideTheHistoryIsNotFound() {
        Result result = fctl.run("rollback", "99");
        assertEquals(4, result.code(), result.toString());
        assertTrue(result.err().contains("older than the retained history"), result.toString());
    }
}
