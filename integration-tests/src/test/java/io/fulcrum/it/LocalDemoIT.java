package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.LoopbackPorts;
import io.fulcrum.controlplane.testing.Poll;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, as a newcomer runs it: bin/fulcrum demo gives a working cluster, the
 * fctl line it prints works, traffic flows through the listener, bin/fulcrum down stops it all.
 * Ports are shifted by FULCRUM_PORT_OFFSET so the test does not collide with anything.
 */
@Timeout(600)
class LocalDemoIT {

    /** The demo's ports with FULCRUM_PORT_OFFSET 0 (bin/local-cluster.sh). */
    private static final List<Integer> DEMO_PORTS = List.of(7001, 7002, 7003, 9001, 9002, 9003, 16309, 16310, 16311, 9101, 9102,
            8080, 9081, 9082, 9083);

    /**
     * An offset, a multiple of 100, that puts every demo port on a free port below the kernel's
     * ephemeral range (where a port could be taken by some process's outgoing connection before
     * the demo binds it) and never past it.
     */
    static int freeOffset(Random random) {
        int lowest = java.util.Collections.min(DEMO_PORTS);
        int highest = java.util.Collections.max(DEMO_PORTS);
        int steps = (LoopbackPorts.ephemeralLow() - 1 - highest) / 100;
        if (steps < 1) {
            throw new IllegalStateException("the ephemeral range starts at " + LoopbackPorts.ephemeralLow()
                    + ": no room below it for the demo's ports");
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = (1 + random.nextInt(steps)) * 100;
            if (lowest + offset > 1024 && DEMO_PORTS.stream().allMatch(p -> free(p + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port range below " + LoopbackPorts.ephemeralLow());
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(Path cwd, int offset, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        builder.environment().put("FULCRUM_PORT_OFFSET", String.valueOf(offset));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "finished: " + String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    /** The body of GET / over a connection of its own (HTTP/1.0: the server closes it). */
    private static String get(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\nHost: demo\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    @Test
    void everyOffsetKeepsTheDemoBelowTheEphemeralRange() {
        Random random = new Random(1);
        int highest = java.util.Collections.max(DEMO_PORTS);
        for (int i = 0; i < 500; i++) {
            int offset = freeOffset(random);
            assertTrue(offset > 0 && highest + offset < LoopbackPorts.ephemeralLow(), "offset " + offset);
        }
    }

    @Test
    void demoGivesAWorkingClusterAndDownStopsIt(@TempDir Path cwd) throws Exception {
        String bin = Launcher.root().resolve("bin").toString();
        int offset = freeOffset(new Random());
        try {
            String demo = run(cwd, offset, bin + "/fulcrum", "demo");
            assertTrue(demo.contains("Try:  bin/fctl status"), demo);
            assertTrue(Files.exists(cwd.resolve(".fulcrum/fctl.conf")));

            String status = run(cwd, offset, bin + "/fctl", "status");
            assertTrue(status.contains("cp1") && status.contains("leader"), status);
            String nodes = run(cwd, offset, bin + "/fctl", "nodes");
            assertTrue(nodes.contains("dp1") && nodes.contains("SYNCED"), nodes);

            // like curl: a new connection per request (a TCP balancer picks a server per connection)
            Set<String> answers = new HashSet<>();
            Poll.until(Duration.ofSeconds(30), "all three backends answer", () -> {
                answers.add(get(8080 + offset));
                return answers.size() == 3;
            });
            assertEquals(Set.of("hello from backend1", "hello from backend2", "hello from backend3"), answers);
        } finally {
            String down = run(cwd, offset, bin + "/fulcrum", "down");
            assertTrue(down.startsWith("stopped 8 process(es)"), down);
        }
    }
}
