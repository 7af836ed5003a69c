package io.fulcrum.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.ctl.testing.FakeControlPlane;
import io.fulcrum.ctl.testing.FctlHarness;
import io.fulcrum.ctl.testing.FctlHarness.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every connection option counts wherever it is written, for every subcommand: an option that was
 * ignored would send the command to the cluster of the environment (a live fake here) instead.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionOptionsPlacementTest {
    private static final String ENV_TOKEN = "env-token-1234567890";

    private Path dir;
    private FakeControlPlane live;
    private FakeControlPlane silent;
    private FctlHarness fctl;
    private String dead;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        live = new FakeControlPlane(true);
        live.exec("add server-group g timeout 500 period 1000 up 2 down 3\nadd server s1 to server-group g address 127.0.0.1:81\nadd upstream u");
        silent = new FakeControlPlane(false);
        dead = FctlHarness.deadAddress();
        Files.writeString(dir.resolve("lb.yaml"), "apiVersion: fulcrum.io/v1\nkind: Upstream\nmetadata:\n  name: u\n");
        Files.writeString(dir.resolve("script.txt"), "add upstream u2\n");
        Files.writeString(dir.resolve("cli.tok"), "file-token-1234567890\n");
        fctl = new FctlHarness(dir, Map.of("FULCRUM_SERVER", live.address(), "FULCRUM_TOKEN", ENV_TOKEN));
    }

    @AfterAll
    void stop() {
        live.close();
        silent.close();
    }

    /** Every way fctl reaches the cluster: subcommands, a command-language line, a script. */
    Stream<List<String>> forms() {
        return Stream.of(List.of("status"), List.of("nodes"), List.of("get", "all"), List.of("get", "servers", "-o", "yaml"),
                List.of("apply", "-f", dir.resolve("lb.yaml").toString()), List.of("save", "-"),
                List.of("load", dir.resolve("script.txt").toString()), List.of("watch", "--count", "1"),
                List.of("members", "transfer-leader"), List.of("forget-node", "gone"), List.of("list", "upstream"),
                List.of("-f", dir.resolve("script.txt").toString()));
    }

    private Result run(List<String> before, List<String> form, List<String> after) {
        List<String> args = new ArrayList<>(before);
        args.addAll(form);
        args.addAll(after);
        return fctl.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("forms")
    void serverBeforeTheSubcommandIsUsed(List<String> form) {
        Result result = run(List.of("--server", dead), form, List.of());
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains(dead), result.toString());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void serverAfterTheSubcommandIsUsed(List<String> form) {
        Result result = run(List.of(), form, List.of("--server", dead));
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains(dead), result.toString());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void tokenBeforeTheSubcommandIsSent(List<String> form) {
        int before = live.calls().size();
        run(List.of("--token", "cli-token-1234567890"), form, List.of());
        List<FakeControlPlane.Call> calls = live.calls().subList(before, live.calls().size());
        assertTrue(!calls.isEmpty() && calls.stream().allMatch(c -> "cli-token-1234567890".equals(c.token())), calls.toString());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void tokenFileBeforeTheSubcommandIsRead(List<String> form) {
        int before = live.calls().size();
        run(List.of("--token-file", dir.resolve("cli.tok").toString()), form, List.of());
        List<FakeControlPlane.Call> calls = live.calls().subList(before, live.calls().size());
        assertTrue(!calls.isEmpty() && calls.stream().allMatch(c -> "file-token-1234567890".equals(c.token())), calls.toString());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void timeoutBeforeTheSubcommandIsUsedOrRefused(List<String> form) {
        long started = System.nanoTime();
        Result result = run(List.of("--server", silent.address(), "--timeout", "1"), form, List.of());
        if (form.get(0).equals("watch")) {
            assertEquals(2, result.code(), result.toString());
            assertTrue(result.err().contains("--timeout does not apply"), result.toString());
            return;
        }
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains("did not answer in time"), result.toString());
        assertTrue(System.nanoTime() - started < 8_000_000_000L, "took " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @ParameterizedTest
    @MethodSource("forms")
    void tlsBeforeTheSubcommandIsUsed(List<String> form) {
        // the live fake speaks plaintext: a TLS handshake with it fails
        Result result = run(List.of("--tls"), form, List.of());
        assertEquals(3, result.code(), result.toString());
        assertTrue(result.err().contains(live.address()), result.toString());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void tlsCaBeforeTheSubcommandIsRead(List<String> form) {
        Path missing = dir.resolve("no-such-ca.pem");
        Result result = run(List.of("--tls-ca", missing.toString()), form, List.of());
        assertEquals(1, result.code(), result.toString());
        assertTrue(result.err().contains("cannot read the TLS CA file " + missing), result.toString());
    }

    @Test
    void anOptionGivenTwiceWithDifferentValuesIsAUsageError() {
        Result result = fctl.run("--server", dead, "status", "--server", live.address());
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("--server is given twice, with different values"), result.toString());
        Result tokens = fctl.run("--token", "a-token-1234567890", "nodes", "--token", "b-token-1234567890");
        assertEquals(2, tokens.code(), tokens.toString());
        assertTrue(tokens.err().contains("--token is given twice, with two different tokens"), tokens.toString());
        assertTrue(!tokens.err().contains("a-token-1234567890"), "a token is never printed: " + tokens);
        Result both = fctl.run("--token", "a-token-1234567890", "status", "--token-file", dir.resolve("cli.tok").toString());
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("give --token or --token-file, not both"), both.toString());
    }

    @Test
    void theSameOptionTwiceWithTheSameValueIsFine() {
        Result result = fctl.run("--server", live.address(), "status", "--server", live.address());
        assertEquals(0, result.code(), result.toString());
    }

    @Test
    void optionsOfACommandThatDoesNotConnectAreRefused() {
        Result result = fctl.run("--server", dead, "completion");
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("completion does not connect"), result.toString());
    }

    @Test
    void theShellUsesTheOptionsItWasOpenedWith() {
        Result result = fctl.runWithInput("status\nlist upstream\n", "--server", dead);
        assertEquals(3, result.code(), result.toString());
        assertEquals(2, result.err().lines().filter(l -> l.contains(dead)).count(), result.toString());
    }

    @Test
    void aShellLineGivingItsOwnOptionsUsesThemForThatLine() {
        Result result = fctl.runWithInput("status --server " + dead + "\nstatus\n--server " + dead + " nodes\n");
        assertEquals(3, result.code(), result.toString());
        assertEquals(2, result.err().lines().filter(l -> l.contains(dead)).count(), result.toString());
        assertTrue(result.out().contains("cluster fake-cluster"), result.toString());
    }

    @Test
    void aLocalTokenIsNotSentToAServerNamedExplicitly() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project/.fulcrum"));
        Files.writeString(project.resolve("auth.conf"), "operator local-token-1234567890\n");
        Files.writeString(project.resolve("fctl.conf"), "servers=" + dead + "\ntoken-file=auth.conf\n");
        FctlHarness here = new FctlHarness(project.getParent(), Map.of());
        int before = live.calls().size();
        Result explicit = here.run("--server", live.address(), "status");
        assertEquals(0, explicit.code(), explicit.toString());
        assertEquals(null, live.calls().get(before).token(), "the local cluster's token went to " + live.address());
        Result local = here.run("status");
        assertEquals(3, local.code(), "without --server the local cluster is used: " + local);
        assertTrue(local.err().contains(dead), local.toString());
    }
}
