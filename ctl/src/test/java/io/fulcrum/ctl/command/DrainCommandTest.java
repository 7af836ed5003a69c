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

/** fctl drain and undrain against the fake control plane (whose dp1 closes one connection per poll). */
@Timeout(60)
class DrainCommandTest {
    private FakeControlPlane cluster;
    private FctlHarness fctl;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        cluster = new FakeControlPlane(true);
        cluster.exec("add server-group g timeout 500 period 1000 up 2 down 3\nadd server s1 to server-group g address 127.0.0.1:81");
        fctl = new FctlHarness(dir, Map.of("FULCRUM_SERVER", cluster.address(), "FULCRUM_TOKEN", "op-token-1234567890"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void drainCommitsTheFlagAndFollowsTheNodesToZero() {
        Result result = fctl.run("drain", "server", "s1", "in", "server-group", "g");
        assertEquals(0, result.code(), result.toString());
        assertEquals("OK\ndraining server s1 in server-group g from version 2 (waiting at most 300 s)\n"
                + "dp1: 2 open connections\ndp1: 1 open connection\ndp1: 0 open connections\n", result.out().replaceAll("drained: .*\n", ""));
        assertTrue(result.out().contains("drained: 0 open connections to server s1 in server-group g on 1 data plane after"), result.toString());
        Result detail = fctl.run("get", "server", "s1", "--in", "g", "-o", "yaml");
        assertTrue(detail.out().contains("drain: true"), detail.toString());

        Result undrain = fctl.run("undrain", "svr", "s1", "in", "sg", "g");
        assertEquals(0, undrain.code(), undrain.toString());
        assertTrue(fctl.run("get", "server", "s1", "--in", "g", "-o", "yaml").out().contains("drain: false"));
    }

    @Test
    void aDrainThatDoesNotFinishInTimeExitsOneAndStaysDrained() {
        cluster.exec("add server s2 to server-group g address 127.0.0.1:82");
        Result result = fctl.run("drain", "server", "s2", "in", "server-group", "g", "--timeout", "1s");
        // the fake reaches 0 after two polls (1 s): either outcome names the server; a short timeout is accepted as a duration
        assertTrue(result.code() == 0 || result.err().contains("drain timed out"), result.toString());
        Result usage = fctl.run("drain", "server", "s2", "from", "server-group", "g");
        assertEquals(2, usage.code(), usage.toString());
        assertTrue(usage.err().contains("expected: server NAME in server-group GROUP"), usage.toString());
        Result missing = fctl.run("drain", "server", "nope", "in", "server-group", "g", "--no-wait");
        assertEquals(4, missing.code(), missing.toString());
    }
}
