package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fctl run in-process (run(String...) returns the exit code) against a real three-member cluster. */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FctlIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = """
            apiVersion: fulcrum.io/v1
            kind: EventLoopGroup
            metadata: {name: worker}
            spec:
              eventLoops: [w1, w2]
            ---
            apiVersion: fulcrum.io/v1
            kind: ServerGroup
            metadata: {name: web}
            spec:
              timeout: 500
              period: 1000
              up: 2
              down: 3
              method: wrr
              eventLoopGroup: worker
              servers:
                - {name: web1, address: 127.0.0.1:28081, weight: 10}
                - {name: web2, address: 127.0.0.1:28082}
            ---
            apiVersion: fulcrum.io/v1
            kind: Upstream
            metadata: {name: web-ups}
            spec:
              serverGroups:
                - {name: web, weight: 10}
            ---
            apiVersion: fulcrum.io/v1
            kind: TcpLb
            metadata: {name: web-lb}
            spec:
              address: 127.0.0.1:28080
              upstream: web-ups
            """;

    private TestCluster cluster;
    private FctlRunner fctl;
    private Path dir;

    @BeforeAll
    void start(@TempDir Path dir) {
        this.dir = dir;
        cluster = TestCluster.start(dir.resolve("cluster"), 3);
        String servers = String.join(",", cluster.nodes().stream().map(n -> n.apiAddress()).toList());
        fctl = new FctlRunner(Map.of("FULCRUM_SERVER", servers, "FULCRUM_TOKEN", cluster.tokens().operator()), dir);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private FctlRunner.Result ok(String... args) {
        FctlRunner.Result result = fctl.run(args);
        assertEquals(0, result.code(), String.join(" ", args) + "\n" + result);
        return result;
    }

    private JsonNode json(String... args) throws Exception {
        return JSON.readTree(ok(args).out());
    }

    @Test
    @Order(1)
    void commandLinesRunAndPrintLikeVproxy() {
        assertEquals("OK\n", ok("add", "upstream", "backend-groups").out());
        assertEquals("OK\n", ok("add", "server-group", "ngx", "timeout", "500", "period", "1000", "up", "2", "down", "3").out());
        assertEquals("OK\n", ok("add", "server-group", "ngx", "to", "upstream", "backend-groups", "annotations",
                "{\"note\": \"two words\"}").out());
        assertEquals("backend-groups\n", ok("list", "upstream").out());
        assertTrue(ok("man", "server", "add").out().startsWith("add server NAME to server-group"));
    }

    @Test
    @Order(2)
    void everyExitCode() {
        FctlRunner.Result failed = fctl.run("add", "server-group", "bad", "timeout", "1", "period", "1", "up", "two", "down", "1");
        assertEquals(1, failed.code(), failed.toString());
        assertEquals("fctl: add server-group bad: invalid value for up: must be an integer 1..1000, got \"two\"\n", failed.err());
        assertEquals("", failed.out(), "diagnostics go to stderr only");
        assertEquals(2, fctl.run("--no-such-option").code());
        assertEquals(2, fctl.run("get").code(), "get needs a TYPE");
        FctlRunner.Result down = new FctlRunner(Map.of("FULCRUM_SERVER", "127.0.0.1:" + Ports.free(),
                "FULCRUM_TOKEN", "x"), dir).run("list", "upstream");
        assertEquals(3, down.code(), down.toString());
        assertTrue(down.err().contains("cannot connect"), down.err());
        assertEquals(4, fctl.run("remove", "upstream", "nope").code());
        assertEquals(4, fctl.run("get", "upstream", "nope").code());
        FctlRunner.Result viewer = new FctlRunner(Map.of("FULCRUM_SERVER", cluster.leader().apiAddress(),
                "FULCRUM_TOKEN", cluster.tokens().viewer()), dir).run("add", "upstream", "v");
        assertEquals(1, viewer.code());
        assertTrue(viewer.err().startsWith("fctl: permission denied: role viewer"), viewer.err());
    }

    @Test
    @Order(3)
    void scriptsSaveAndLoad() throws Exception {
        Path script = dir.resolve("setup.txt");
        Files.writeString(script, "# two upstreams\nadd upstream s-1\nadd upstream s-2\n");
        assertEquals("OK\n", ok("-f", script.toString()).out());
        Files.writeString(script, "add upstream s-3\nadd upstream s-1\n");
        FctlRunner.Result atomic = fctl.run("-f", script.toString());
        assertEquals(1, atomic.code());
        assertTrue(atomic.err().contains("line 2: add upstream s-1: Duplicated entry"), atomic.err());
        assertTrue(!ok("list", "upstream").out().contains("s-3"), "nothing of a failed script is applied");

        Path saved = dir.resolve("saved.txt");
        ok("save", saved.toString());
        String before = ok("save", "-").out();
        ok("remove", "upstream", "s-1");
        ok("add", "upstream", "s-9");
        ok("remove", "upstream", "s-9");
        ok("add", "upstream", "s-1");
        assertEquals(new java.util.HashSet<>(before.lines().skip(1).toList()),
                new java.util.HashSet<>(ok("save", "-").out().lines().skip(1).toList()), "the same commands (s-1 now last)");
        assertTrue(Files.readString(saved).contains("add upstream s-1"));
        ok("remove", "upstream", "s-1");
        FctlRunner.Result load = fctl.run("load", saved.toString());
        assertEquals(1, load.code(), "loading everything again collides with what exists");
        Files.writeString(script, "add upstream s-1\n");
        assertEquals("OK\n", ok("load", script.toString()).out());
    }

    @Test
    @Order(4)
    void applyTwiceIsUnchangedAndDryRunChangesNothing() throws Exception {
        Path manifest = dir.resolve("web.yaml");
        Files.writeString(manifest, MANIFEST);
        long version = json("get", "all", "-o", "json").get("version").asLong();
        FctlRunner.Result dry = ok("apply", "-f", manifest.toString(), "--dry-run");
        assertTrue(dry.out().contains("tcp-lb/web-lb created (dry run)"), dry.out());
        assertTrue(dry.out().contains("add server web2 to server-group web address 127.0.0.1:28082"), dry.out());
        assertEquals(version, json("get", "all", "-o", "json").get("version").asLong(), "a dry run changes nothing");

        assertEquals(List.of("event-loop-group/worker created", "server-group/web created", "upstream/web-ups created",
                "tcp-lb/web-lb created"), ok("apply", "-f", manifest.toString()).out().lines().toList());
        assertEquals(List.of("event-loop-group/worker unchanged", "server-group/web unchanged", "upstream/web-ups unchanged",
                "tcp-lb/web-lb unchanged"), ok("apply", "-f", manifest.toString()).out().lines().toList());

        Files.writeString(manifest, MANIFEST.replace("{name: web2, address: 127.0.0.1:28082}",
                "{name: web2, address: 127.0.0.1:28082, weight: 5}"));
        assertTrue(ok("apply", "-f", manifest.toString()).out().contains("server-group/web configured"));
        assertEquals(5, json("get", "server", "web2", "-o", "json").get("resources").get(0).get("server").get("weight").asInt());

        // what get -o yaml prints is a manifest apply accepts, unchanged
        Path exported = dir.resolve("exported.yaml");
        Files.writeString(exported, ok("get", "all", "-o", "yaml").out());
        assertTrue(ok("apply", "-f", exported.toString()).out().lines().allMatch(l -> l.endsWith(" unchanged")));

        FctlRunner.Result bad = fctl.run("apply", "-f", writeTemp("kind: Nope\n"));
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("fctl: document 1: apiVersion must be fulcrum.io/v1"), bad.err());
    }

    private String writeTemp(String content) throws Exception {
        Path file = Files.createTempFile(dir, "m", ".yaml");
        Files.writeString(file, content);
        return file.toString();
    }

    @Test
    @Order(5)
    void getPrintsTablesJsonAndYaml() throws Exception {
        assertTrue(ok("get", "server-groups").out().startsWith("SERVER-GROUP  METHOD"));
        assertTrue(ok("get", "svr", "--in", "web").out().contains("web1"));
        JsonNode groups = json("get", "sg", "-o", "json");
        assertTrue(groups.get("config").get("serverGroups").size() >= 2);
        assertEquals("web", json("get", "sg", "web", "-o", "json").get("config").get("serverGroups").get(0).get("name").asText());
        assertTrue(ok("get", "tl", "-o", "yaml").out().contains("kind: TcpLb"));
        assertEquals(2, fctl.run("get", "sg", "-o", "xml").code(), "an unknown output format is a usage error");
    }

    @Test
    @Order(6)
    void statusNodesAndMembers() throws Exception {
        assertTrue(ok("status").out().contains("MEMBER"));
        JsonNode status = json("status", "-o", "json");
        assertEquals(3, status.get("members").size());
        assertEquals(0, json("nodes", "-o", "json").path("nodes").size());
        String follower = cluster.follower().id();
        FctlRunner.Result moved = ok("members", "transfer-leader", follower);
        assertTrue(moved.out().contains(follower), moved.out());
        Poll.until(Duration.ofSeconds(20), "new leader", () -> cluster.node(follower).raft().isLeader());

        var joining = cluster.startJoining("new-cp4");
        ok("members", "add", "new-cp4", "--raft", cluster.raftAddress("new-cp4"), "--api", joining.apiAddress());
        assertEquals(4, json("status", "-o", "json").get("members").size());
        ok("members", "remove", "new-cp4");
        assertEquals(3, json("status", "-o", "json").get("members").size());
        cluster.stop("new-cp4");
        assertEquals(4, fctl.run("members", "remove", "cp9").code());
    }

    @Test
    @Order(7)
    void watchPrintsCommittedChanges() throws Exception {
        CompletableFuture<FctlRunner.Result> watch = CompletableFuture.supplyAsync(() -> fctl.run("watch", "--count", "1",
                "--no-health", "--server", cluster.leader().apiAddress()));
        Poll.until(Duration.ofSeconds(20), "watch sees the change", () -> {
            fctl.run("add", "upstream", "watched-" + System.nanoTime());
            return watch.isDone();
        });
        FctlRunner.Result result = watch.get();
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().matches("version \\d+  alice  add upstream watched-\\d+\\n"), result.out());
    }

    @Test
    @Order(8)
    void completionScriptAndShellFromAPipe() {
        assertTrue(ok("completion").out().contains("complete -F"));
        FctlRunner.Result shell = fctl.runWithInput("add upstream from-shell\nlist upstream\nstatus\nexit\nlist upstream\n");
        assertEquals(0, shell.code(), shell.toString());
        assertTrue(shell.out().startsWith("OK\n"), shell.out());
        assertTrue(shell.out().contains("from-shell"));
        assertTrue(shell.out().contains("MEMBER"));
    }
}
