package io.fulcrum.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.ctl.testing.FakeControlPlane;
import io.fulcrum.ctl.testing.FctlHarness;
import io.fulcrum.ctl.testing.FctlHarness.Result;
import io.fulcrum.proto.v1.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fctl's commands against a fake control plane: exit codes, what goes to stdout and stderr, output formats. */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FctlCommandsTest {
    private FakeControlPlane cluster;
    private FctlHarness fctl;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        cluster = new FakeControlPlane(true);
        cluster.exec("add server-group g timeout 500 period 1000 up 2 down 3\n"
                + "add server s1 to server-group g address 127.0.0.1:81 weight 5\n"
                + "add server s2 to server-group g address 127.0.0.1:82\n"
                + "add server-group h timeout 500 period 1000 up 2 down 3\n"
                + "add server s3 to server-group h address 127.0.0.1:83");
        fctl = new FctlHarness(dir, Map.of("FULCRUM_SERVER", cluster.address(), "FULCRUM_TOKEN", "op-token-1234567890"));
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private Result ok(String... args) {
        Result result = fctl.run(args);
        assertEquals(0, result.code(), result.toString());
        return result;
    }

    @Test
    void aLineThatDoesNotParseIsAUsageErrorAndSendsNothing() {
        int before = cluster.calls().size();
        Result result = fctl.run("add", "server-grop", "x");
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().startsWith("fctl: "), result.toString());
        assertEquals(before, cluster.calls().size(), "nothing is sent: " + cluster.calls());
    }

    @Test
    void aChangePrintsOkOnStdoutAndTheNewVersionOnStderr() {
        Result result = ok("add", "upstream", "fresh");
        assertEquals("OK\n", result.out());
        assertTrue(result.err().matches("version \\d+\\n"), result.toString());
        Result query = ok("list", "upstream");
        assertEquals("fresh\n", query.out());
        assertEquals("", query.err(), "a query prints no version");
    }

    @Test
    void whatDoesNotExistExitsFourAndARefusedChangeOne() {
        Result missing = fctl.run("remove", "upstream", "nope");
        assertEquals(4, missing.code(), missing.toString());
        Result getMissing = fctl.run("get", "server-group", "nope");
        assertEquals(4, getMissing.code(), getMissing.toString());
        Result twice = fctl.run("add", "server-group", "g", "timeout", "500", "period", "1000", "up", "2", "down", "3");
        assertEquals(1, twice.code(), twice.toString());
        assertTrue(twice.err().contains("g"), twice.toString());
    }

    @Test
    void anUnknownTypeOrAMissingArgumentIsAUsageError() {
        assertEquals(2, fctl.run("get", "servre").code());
        assertEquals(2, fctl.run("get").code());
        assertEquals(2, fctl.run("status", "--bogus").code());
        assertEquals(2, fctl.run("--bogus").code());
    }

    @Test
    void statusPrintsATableJsonOrYaml() {
        assertTrue(ok("status").out().startsWith("cluster fake-cluster  config version"));
        String json = ok("status", "-o", "json").out();
        assertTrue(json.contains("\"clusterId\": \"fake-cluster\""), json);
        String yaml = ok("status", "-o", "yaml").out();
        assertTrue(yaml.contains("clusterId: fake-cluster"), yaml);
        assertEquals(2, fctl.run("status", "-o", "xml").code());
    }

    @Test
    void nodesPrintsOneRowPerDataPlane() {
        String table = ok("nodes").out();
        assertTrue(table.startsWith("NODE"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("dp1") && l.contains("SYNCED")), table);
        assertTrue(ok("nodes", "-o", "json").out().contains("\"nodeId\": \"dp1\""));
    }

    @Test
    void serversAsYamlAreTheServerGroupManifestsThatApplyAccepts() throws Exception {
        Result servers = ok("get", "servers", "-o", "yaml");
        Config read = Manifest.read(servers.out());
        assertEquals(2, read.getServerGroupsCount(), servers.out());
        assertEquals(2, read.getServerGroups(0).getServersCount());
        assertTrue(servers.err().contains("declared inside their server-group"), servers.toString());
        Result one = ok("get", "server", "s1", "--in", "g", "-o", "yaml");
        assertEquals(1, Manifest.read(one.out()).getServerGroupsCount(), one.out());
        Files.writeString(dir.resolve("servers.yaml"), servers.out());
        Result apply = ok("apply", "-f", dir.resolve("servers.yaml").toString(), "--dry-run");
        assertTrue(apply.out().contains("server-group/g unchanged"), apply.toString());
        assertTrue(apply.out().contains("server-group/h unchanged"), apply.toString());
    }

    @Test
    void watchStopsAfterCountLines() {
        Result three = ok("watch", "--count", "3");
        assertEquals("version 9  operator  add upstream u1\nversion 9  operator  add upstream u2\n"
                + "version 9  operator  add upstream u3\n", three.out());
        Result six = ok("watch", "--count", "6");
        assertEquals(6, six.out().lines().count(), six.out());
        assertTrue(six.out().endsWith("version 10  operator  add upstream u6\n"), six.out());
    }

    @Test
    void forgetNodeSaysWhomItForgotAndAnUnknownNodeExitsFour() {
        assertTrue(ok("forget-node", "gone").out().startsWith("forgot gone (last seen"));
        assertEquals(4, fctl.run("forget-node", "dp-nobody").code());
    }

    @Test
    void saveWritesAScriptThatLoads() throws Exception {
        Path saved = dir.resolve("saved.conf");
        Result save = ok("save", saved.toString());
        assertTrue(save.err().startsWith("saved "), save.toString());
        String script = Files.readString(saved);
        assertTrue(script.contains("add server s1 to server-group g address 127.0.0.1:81 weight 5"), script);
    }
}
