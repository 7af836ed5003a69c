package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.NodesRequest;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fctl drain} under traffic: a control-plane process, two data-plane processes sharing one
 * listener (SO_REUSEPORT), short connections flowing and long ones open to the drained server.
 */
@Timeout(240)
class ServerDrainProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Resources resources = new Resources();
    private final List<LineClient> longLived = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (LineClient client : longLived) {
            client.close();
        }
        resources.close();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        return resources.add(closeable);
    }

    private static double openTo(DataPlaneProcess node, String server) {
        return metric(node, "fulcrum_server_connections_open", server);
    }

    /** Connections the nodes relayed to {@code server} (health checks are not counted, unlike at the backend). */
    private static long relayedTo(List<DataPlaneProcess> nodes, String server) {
        return nodes.stream().mapToLong(n -> (long) metric(n, "fulcrum_server_connections_total", server)).sum();
    }

    private static double metric(DataPlaneProcess node, String name, String server) {
        double value = node.metric(name, "server=\"" + server + "\"");
        return Double.isNaN(value) ? 0 : value;
    }

    @Test
    void afterDrainNoNewConnectionReachesTheServerLongOnesFinishAndFctlShowsBothNodesAtZero(@TempDir Path dir) throws Exception {
        ProcessCluster cluster = closing(ProcessCluster.start(dir, 1));
        NamedServer s1 = closing(NamedServer.start("s1"));
        NamedServer s2 = closing(NamedServer.start("s2"));
        int port = Ports.free();
        InetSocketAddress listener = new InetSocketAddress("127.0.0.1", port);
        long version = cluster.clients().config(cluster.api("cp1"), cluster.tokens().operator()).exec(ExecRequest.newBuilder()
                .setText(String.join("\n", "add server-group g timeout 500 period 1000 up 1 down 2",
                        "add server s1 to server-group g address " + s1.address(), "add server s2 to server-group g address " + s2.address(),
                        "add upstream u", "add server-group g to upstream u", "add tcp-lb lb0 address 127.0.0.1:" + port + " upstream u"))
                .build()).getVersion();
        List<DataPlaneProcess> nodes = List.of(
                closing(DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null)),
                closing(DataPlaneProcess.start("dp2", dir, cluster.apis(), cluster.tokens().file(), null)));
        nodes.forEach(node -> cluster.awaitSynced(node, version));

        // long connections to s1 through both nodes (the kernel spreads connections over them)
        Poll.until(WAIT, "long connections to s1 through both nodes", () -> {
            try {
                LineClient client = new LineClient(listener);
                longLived.add(client);
                return nodes.stream().allMatch(n -> openTo(n, "s1") >= 1);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<LineClient> onS1 = new ArrayList<>();
        for (LineClient client : longLived) {
            if (client.ask("before").startsWith("s1 ")) {
                onS1.add(client);
            }
        }
        FctlRunner fctl = new FctlRunner(Map.of("FULCRUM_SERVER", cluster.api("cp1"), "FULCRUM_TOKEN", cluster.tokens().operator()), dir);
        try (Traffic traffic = new Traffic(List.of(listener), 4)) {
            Poll.until(WAIT, "traffic flowing", () -> traffic.requests() > 200);
            CompletableFuture<FctlRunner.Result> drain = CompletableFuture.supplyAsync(
                    () -> fctl.run("drain", "server", "s1", "in", "server-group", "g", "--timeout", "90s"));
            Poll.until(WAIT, "both nodes on the drain's version", () -> nodes.stream().allMatch(n -> n.configVersion() > version));
            long applied = traffic.requests();
            Poll.until(WAIT, "more traffic after the drain", () -> traffic.requests() > applied + 100);
            long relayedAtDrain = relayedTo(nodes, "s1");
            long before = traffic.requests();
            Poll.until(WAIT, "500 more requests", () -> traffic.requests() > before + 500);
            assertEquals(relayedAtDrain, relayedTo(nodes, "s1"), "no new connection reached the drained server");
            for (LineClient client : onS1) {
                assertEquals("s1 during", client.ask("during"), "an open connection to the drained server still relays");
            }
            assertTrue(nodes.stream().allMatch(n -> openTo(n, "s1") >= 1), "both nodes still hold connections to s1");
            // what fctl reads: both nodes report their open connections to s1 before any closes
            Poll.until(WAIT, "both nodes report open connections to s1", () -> cluster.clients()
                    .cluster(cluster.api("cp1"), cluster.tokens().viewer()).nodes(NodesRequest.getDefaultInstance())
                    .getNodesList().stream().filter(n -> n.getDrainedServersList().stream()
                            .anyMatch(d -> d.getServer().equals("s1") && d.getOpenConnections() > 0)).count() == 2);
            assertTrue(!drain.isDone(), "fctl waits while connections are open");

            long closing = System.nanoTime();
            for (LineClient client : onS1) {
                client.close();
            }
            FctlRunner.Result result = drain.get(60, TimeUnit.SECONDS);
            long afterClose = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
            traffic.close();
            System.out.println("server drain: " + onS1.size() + " long connections to s1, " + traffic.requests()
                    + " short requests, fctl saw 0 on both nodes " + afterClose + " ms after the last long connection closed\n"
                    + result.out());
            assertEquals(0, result.code(), result.toString());
            for (String node : List.of("dp1", "dp2")) {
                assertTrue(result.out().matches("(?s).*\\n" + node + ": [1-9]\\d* open connections?\\n.*"), node + " showed open ones: " + result);
                assertTrue(result.out().contains("\n" + node + ": 0 open connections\n"), node + " reached 0: " + result);
            }
            assertTrue(result.out().contains("drained: 0 open connections to server s1 in server-group g on 2 data planes"), result.toString());
            assertEquals(List.of(), traffic.failures(), "no request failed");
        }

        FctlRunner.Result undrain = fctl.run("undrain", "server", "s1", "in", "server-group", "g");
        assertEquals(0, undrain.code(), undrain.toString());
        long relayedDrained = relayedTo(nodes, "s1");
        Poll.until(WAIT, "s1 takes new connections again", () -> {
            LineClient.whoAnswers(listener);
            return relayedTo(nodes, "s1") > relayedDrained;
        });
    }
}
