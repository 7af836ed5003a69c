package io.fulcrum.controlplane.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.ControlPlaneSettings;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** redis-cli (Debian's redis-tools, installed by .ci/run) drives the RESP endpoint. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RespEndpointTest {
    private ControlPlaneNode node;
    private int port;

    @BeforeAll
    void start(@TempDir Path dir) {
        Preconditions.requireExecutable("/usr/bin/redis-cli", "apt-get install redis-tools");
        Tokens tokens = Tokens.write(dir);
        node = ControlPlaneNode.start(ControlPlaneSettings.builder("cp1", dir.resolve("cp1")).raft(Ports.loopback())
                .api(Ports.loopback()).authFile(tokens.file()).resp(Ports.loopback(), "m1PasSw0rd").election(300, 200)
                .fsync(false).build());
        port = node.respPort();
        Poll.until(Duration.ofSeconds(20), "bootstrapped", () -> !node.state().bootstrap().getClusterId().isEmpty());
    }

    @AfterAll
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private List<String> redisCli(String password, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port), "-a", password, "--no-auth-warning"));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "redis-cli finished");
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void theWalkthroughCommandsWorkThroughRedisCli() throws Exception {
        assertEquals(List.of("OK"), redisCli("m1PasSw0rd", "add", "upstream", "backend-groups"));
        assertEquals(List.of("OK"), redisCli("m1PasSw0rd", "add", "server-group", "ngx", "timeout", "500", "period", "1000",
                "up", "2", "down", "3", "method", "wrr"));
        assertEquals(List.of("OK"), redisCli("m1PasSw0rd", "add", "server", "backend1", "to", "server-group", "ngx",
                "address", "127.0.0.1:20081", "weight", "10"));
        assertEquals(List.of("OK"), redisCli("m1PasSw0rd", "add", "server-group", "ngx", "to", "upstream", "backend-groups",
                "annotations", "{\"note\": \"with a space\"}"));
        assertEquals(List.of("backend-groups"), redisCli("m1PasSw0rd", "list", "upstream"));
        assertEquals(List.of("backend1 -> connect-to 127.0.0.1:20081 weight 10 currently UNKNOWN"),
                redisCli("m1PasSw0rd", "list-detail", "server", "in", "server-group", "ngx"));
        assertTrue(redisCli("m1PasSw0rd", "man", "tcp-lb", "add").get(0).startsWith("add tcp-lb NAME address ADDRESS"));
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        List<String> out = redisCli("wrong", "list", "upstream");
        assertTrue(out.contains("NOAUTH Authentication required."), out.toString());
        assertTrue(String.join("\n", out).contains("WRONGPASS"), out.toString());
    }

    @Test
    void aBadCommandGetsAnErrorThatNamesWhatIsAllowed() throws Exception {
        assertEquals(List.of("ERR unknown action \"frobnicate\"; allowed: add, list (ls), list-detail (ll), update (mod), "
                + "remove (rm), man"), redisCli("m1PasSw0rd", "frobnicate", "upstream"));
        assertEquals(List.of("ERR remove upstream nope: Cannot find upstream with name nope"),
                redisCli("m1PasSw0rd", "remove", "upstream", "nope"));
    }
}
