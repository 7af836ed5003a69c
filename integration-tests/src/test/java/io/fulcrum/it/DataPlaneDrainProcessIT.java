package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a data-plane process under load: it drains (no in-flight request fails, a slow
 * request completes, the control plane shows DRAINING, then the node is gone) and exits 0; a
 * drain timeout shorter than a TCP connection ends the drain.
 */
@Timeout(180)
class DataPlaneDrainProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SLOW_MS = 5000;

    private final int httpPort = Ports.free();
    private final int tcpPort = Ports.free();
    private final InetSocketAddress http = new InetSocketAddress("127.0.0.1", httpPort);
    private final InetSocketAddress tcp = new InetSocketAddress("127.0.0.1", tcpPort);

    private static HttpBackend slowBackend() {
        return HttpBackend.start("h1", (request, index) -> {
            if (request.uri().equals("/slow")) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SLOW_MS)); // the backend is slow, by design
            }
            return HttpBackend.Response.ok("h1");
        });
    }

    private void configure(ProcessCluster cluster, HttpBackend web, NamedServer lines) {
        String script = String.join("\n",
                "add server-group web timeout 500 period 1000 up 1 down 2 protocol none",
                "add server h1 to server-group web address " + web.address(),
                "add upstream uweb", "add server-group web to upstream uweb",
                "add tcp-lb http0 address 127.0.0.1:" + httpPort + " upstream uweb protocol http",
                "add server-group lines timeout 500 period 1000 up 1 down 2 protocol none",
                "add server l1 to server-group lines address " + lines.address(),
                "add upstream ulines", "add server-group lines to upstream ulines",
                "add tcp-lb tcp0 address 127.0.0.1:" + tcpPort + " upstream ulines");
        cluster.clients().config(cluster.api("cp1"), cluster.tokens().operator())
                .exec(io.fulcrum.proto.v1.ExecRequest.newBuilder().setText(script).setRequestId("drain-config").build());
    }

    private static DataPlaneNode node(ProcessCluster cluster, String id) {
        return cluster.clients().cluster(cluster.api("cp1"), cluster.tokens().viewer()).nodes(NodesRequest.getDefaultInstance())
                .getNodesList().stream().filter(n -> n.getNodeId().equals(id)).findFirst().orElse(null);
    }

    private void awaitServing(ProcessCluster cluster, String id) {
        Poll.until(WAIT, id + " SYNCED and serving", () -> {
            DataPlaneNode view = node(cluster, id);
            return view != null && view.getState() == SyncState.SYNC_STATE_SYNCED && view.getAppliedVersion() > 0
                    && HttpClientConnection.get(http, "a", "/").status() == 200 && "l1 x".equals(ask(tcp, "x"));
        });
    }

    private static String ask(InetSocketAddress address, String line) {
        try (LineClient client = new LineClient(address)) {
            return client.ask(line);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The answer, or null when the connection is closed or reset. */
    private static String ask(LineClient client, String line) {
        try {
            return client.ask(line);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void sigtermUnderLoadDrainsWithoutFailedRequestsAndTheControlPlaneShowsDrainingThenGone(@TempDir Path dir)
            throws Exception {
        Path pidFile = dir.resolve("run/dp1.pid");
        try (ProcessCluster cluster = ProcessCluster.start(dir, 1);
                HttpBackend web = slowBackend(); NamedServer lines = NamedServer.start("l1")) {
            configure(cluster, web, lines);
            DataPlaneProcess dp = DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null,
                    List.of("--pid-file", pidFile.toString()));
            try (dp) {
                awaitServing(cluster, "dp1");
                assertEquals(dp.pid() + "\n", Files.readString(pidFile));
                CompletableFuture<HttpClientConnection.Response> slow = CompletableFuture.supplyAsync(
                        () -> HttpClientConnection.get(http, "a", "/slow"));
                Poll.until(WAIT, "the slow request at the backend", () -> web.received().stream()
                        .anyMatch(r -> r.uri().equals("/slow")));
                DrainLoad load = new DrainLoad(http, tcp, 8, 6, 6);
                Poll.until(WAIT, "load flowing", () -> load.answered() > 2000);
                long before = load.answered();
                load.markStop();
                long sigterm = System.nanoTime();
                dp.terminate();
                Poll.until(WAIT, "dp1 DRAINING", () -> {
                    DataPlaneNode view = node(cluster, "dp1");
                    return view != null && view.getState() == SyncState.SYNC_STATE_DRAINING;
                });
                int exit = dp.awaitExit(Duration.ofSeconds(40));
                long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
                HttpClientConnection.Response slowAnswer = slow.get(5, TimeUnit.SECONDS);
                load.close();
                System.out.println("drain under load (20 clients: 8 HTTP keep-alive, 6 HTTP and 6 TCP connection per request): "
                        + "exit " + exit + " " + drainMs + " ms after SIGTERM with a " + SLOW_MS + " ms request open; "
                        + before + " requests answered before SIGTERM, " + load.answeredAfterStop() + " after it; "
                        + load.refused() + " connects refused and " + load.late()
                        + " new connections reset after the listeners closed; in-flight failures: " + load.failures());
                assertEquals(0, exit, dp.logTail());
                assertEquals(List.of(), load.failures(), "no request on a connection open before SIGTERM failed");
                assertEquals(200, slowAnswer.status());
                assertEquals("close", slowAnswer.header("connection"));
                assertTrue(drainMs >= SLOW_MS - 1000 && drainMs < 30_000, "drained in " + drainMs + " ms");
                assertFalse(Files.exists(pidFile), "the pid file is removed on a clean exit");
                Poll.until(WAIT, "dp1 gone from the node list", () -> node(cluster, "dp1") == null);
                assertTrue(dp.logTail().contains("drained in"), dp.logTail());
            }
        }
    }

    @Test
    void aDrainTimeoutShorterThanATcpConnectionEndsTheDrain(@TempDir Path dir) throws Exception {
        try (ProcessCluster cluster = ProcessCluster.start(dir, 1);
                HttpBackend web = slowBackend(); NamedServer lines = NamedServer.start("l1")) {
            configure(cluster, web, lines);
            DataPlaneProcess dp = DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null,
                    List.of("--drain-timeout", "2s"));
            try (dp) {
                awaitServing(cluster, "dp1");
                LineClient longLived = new LineClient(tcp);
                assertEquals("l1 before", longLived.ask("before"));
                long sigterm = System.nanoTime();
                dp.terminate();
                Poll.until(WAIT, "dp1 DRAINING", () -> {
                    DataPlaneNode view = node(cluster, "dp1");
                    return view != null && view.getState() == SyncState.SYNC_STATE_DRAINING;
                });
                assertEquals("l1 during", longLived.ask("during"), "a TCP connection relays while the node drains");
                int exit = dp.awaitExit(Duration.ofSeconds(20));
                long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
                System.out.println("drain timeout 2 s with a TCP connection open: exit " + exit + " after " + drainMs + " ms");
                assertEquals(0, exit, dp.logTail());
                assertTrue(drainMs >= 2000 && drainMs < 6000, "exited " + drainMs + " ms after SIGTERM");
                assertEquals(null, ask(longLived, "after"), "the connection was cut when the timeout passed");
                longLived.close();
                assertTrue(dp.logTail().contains("drain timeout after"), dp.logTail());
                Poll.until(WAIT, "dp1 gone from the node list", () -> node(cluster, "dp1") == null);
            }
        }
    }
}
