package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.ServerHealth;
import io.fulcrum.proto.v1.TcpLb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Atomic apply: all or nothing, what survives a change, what keeps running after one. */
@Timeout(60)
class ApplyTest {
    private final NamedServer b1 = NamedServer.start("b1");
    private final NamedServer b2 = NamedServer.start("b2");
    private final int port = FreePorts.next();
    private final InetSocketAddress lb0 = new InetSocketAddress("127.0.0.1", port);
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());

    @AfterEach
    void stop() {
        node.close();
        b1.close();
        b2.close();
    }

    private String base(String servers) {
        return """
                add server-group g timeout 300 period 200 up 1 down 1
                %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(servers, port);
    }

    private String server(NamedServer backend) {
        return "add server " + backend.name() + " to server-group g address " + backend.address() + "\n";
    }

    @Test
    void aListenerThatCannotBindRejectsTheWholeConfigAndTheOldOneKeepsServing() throws IOException {
        assertTrue(node.apply(Scripts.config(base(server(b1)), 1)).isApplied());
        assertEquals("b1", LineClient.whoAnswers(lb0));
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            String next = base(server(b2)) + "add tcp-lb lb1 address 127.0.0.1:" + taken + " upstream u\n";
            ApplyResult result = node.apply(Scripts.config(next, 2));

            assertFalse(result.isApplied());
            assertTrue(result.error().startsWith("tcp-lb lb1: cannot bind 127.0.0.1:" + taken + ": "), result.error());
            assertTrue(result.error().contains("Address already in use"), result.error());
            assertEquals(1, node.appliedVersion());
            for (int i = 0; i < 5; i++) {
                assertEquals("b1", LineClient.whoAnswers(lb0), "the old config serves untouched");
            }
            assertEquals(List.of("b1"), node.health().snapshot().stream().map(ServerHealth::getServer).toList());
        }
    }

    @Test
    void anInvalidConfigIsRejectedWithTheValidationMessage() {
        assertTrue(node.apply(Scripts.config(base(server(b1)), 1)).isApplied());
        Config broken = Scripts.config(base(server(b1)), 2).toBuilder()
                .addTcpLbs(TcpLb.newBuilder().setName("lb9").setAddress("127.0.0.1:1").setUpstream("nowhere")
                        .setAcceptorEventLoopGroup("(acceptor-elg)").setEventLoopGroup("(worker-elg)")
                        .setInBufferSize(16384).setOutBufferSize(16384).setTimeoutMs(1000)
                        .setSecurityGroup("(allow-all)"))
                .build();
        ApplyResult result = node.apply(broken);
        assertFalse(result.isApplied());
        assertTrue(result.error().startsWith("invalid config: "), result.error());
        assertTrue(result.error().contains("nowhere"), result.error());
        assertEquals(1, node.appliedVersion());
    }

    @Test
    void anHttpListenerWhoseAccessLogCannotBeOpenedIsRejectedSayingSo() {
        String script = base(server(b1)).replace(port + " upstream u\n", port + " upstream u protocol http "
                + "annotations {\"fulcrum/http-access-log\":\"/nonexistent-dir/access.log\"}\n");
        ApplyResult result = node.apply(Scripts.config(script, 1));
        assertFalse(result.isApplied());
        assertTrue(result.error().startsWith("tcp-lb lb0: cannot open access log /nonexistent-dir/access.log: "),
                result.error());
        assertFalse(node.hasAppliedConfig());
    }

    @Test
    void healthStateSurvivesAChangeAndNewServersAreCheckedAtOnce() {
        b2.stop();
        assertTrue(node.apply(Scripts.config(base(server(b1) + server(b2)), 1)).isApplied());
        awaitState("b1", HealthState.HEALTH_STATE_UP);
        awaitState("b2", HealthState.HEALTH_STATE_DOWN);
        ServerHealth b1Before = node.health().find("g", "b1").orElseThrow();
        ServerHealth b2Before = node.health().find("g", "b2").orElseThrow();

        NamedServer b3 = NamedServer.start("b3");
        try {
            String changed = base(server(b1) + server(b2) + server(b3)).replace("period 200", "period 250");
            assertTrue(node.apply(Scripts.config(changed, 2)).isApplied());
            assertEquals(b1Before.getSinceUnixMs(), node.health().find("g", "b1").orElseThrow().getSinceUnixMs());
            assertEquals(HealthState.HEALTH_STATE_DOWN, node.health().find("g", "b2").orElseThrow().getState());
            assertEquals(b2Before.getSinceUnixMs(), node.health().find("g", "b2").orElseThrow().getSinceUnixMs());
            awaitState("b3", HealthState.HEALTH_STATE_UP);
        } finally {
            b3.close();
        }
    }

    @Test
    void openConnectionsOutliveTheirListenerAndTheirServer() throws IOException {
        assertTrue(node.apply(Scripts.config(base(server(b1)), 1)).isApplied());
        int otherPort = FreePorts.next();
        try (LineClient client = new LineClient(lb0)) {
            assertEquals("b1 one", client.ask("one"));
            String moved = base(server(b2)).replace("127.0.0.1:" + port, "127.0.0.1:" + otherPort);
            assertTrue(node.apply(Scripts.config(moved, 2)).isApplied());

            assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "lb0's old address is closed");
            assertEquals("b2", LineClient.whoAnswers(new InetSocketAddress("127.0.0.1", otherPort)));
            assertEquals("b1 two", client.ask("two"), "the open connection still reaches the removed server");
            // the other connection closed a moment ago: the old one is the only one left
            Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 1, "the old connection is still counted");
        }
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, "closed connection uncounted");
    }

    @Test
    void aRemovedEventLoopKeepsItsConnectionsAndRetiresOnceEmpty() throws IOException {
        String loops = """
                add event-loop-group workers
                add event-loop %s to event-loop-group workers
                """;
        String script = base(server(b1)).replace(port + " upstream u\n", port + " upstream u event-loop-group workers\n");
        assertTrue(node.apply(Scripts.config(loops.formatted("w1") + script, 1)).isApplied());
        try (LineClient client = new LineClient(lb0)) {
            assertEquals("b1 one", client.ask("one"));
            assertTrue(node.apply(Scripts.config(loops.formatted("w2") + script, 2)).isApplied());
            assertEquals("b1", LineClient.whoAnswers(lb0), "new connections go to w2");
            assertEquals("b1 two", client.ask("two"), "the connection on the removed loop w1 lives on");
            assertTrue(loopThreadAlive("w1"));
        }
        Poll.until(Duration.ofSeconds(10), () -> !loopThreadAlive("w1"), "w1 retired once its last connection closed");
        assertTrue(loopThreadAlive("w2"));
    }

    private static boolean loopThreadAlive(String loop) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.isAlive() && thread.getName().equals("fulcrum-dp1-workers-" + loop));
    }

    @Test
    void aFailedConnectIsRetriedElsewhereAndCountsAsAFailedCheck() {
        String script = base(server(b1) + server(b2)).replace("period 200 up 1 down 1", "period 3600000 up 1 down 2");
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
        awaitState("b1", HealthState.HEALTH_STATE_UP);
        awaitState("b2", HealthState.HEALTH_STATE_UP);
        b2.stop();
        // the next active check is an hour away: only connect failures can tell b2 is gone
        for (int i = 0; i < 20; i++) {
            assertEquals("b1", LineClient.whoAnswers(lb0));
        }
        ServerHealth b2Health = node.health().find("g", "b2").orElseThrow();
        assertEquals(HealthState.HEALTH_STATE_DOWN, b2Health.getState());
        assertEquals("connect refused", b2Health.getReason());
        assertEquals(2.0, Metrics.value(node.metrics(), "fulcrum_connect_failures_total", "server", "b2"),
                "down 2: two failed connects, then no more attempts");
        assertEquals(0.0, Metrics.value(node.metrics(), "fulcrum_listener_unserved_total", "listener", "lb0"));
    }

    @Test
    void noServerLeftClosesTheClientAndCountsIt() throws IOException {
        String script = base(server(b1)).replace("period 200 up 1 down 1", "period 3600000 up 1 down 5");
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
        awaitState("b1", HealthState.HEALTH_STATE_UP);
        b1.stop();
        try (LineClient client = new LineClient(lb0)) {
            assertClosedAtOnce(client);
        }
        Poll.until(Duration.ofSeconds(5),
                () -> Metrics.value(node.metrics(), "fulcrum_listener_unserved_total", "listener", "lb0") == 1.0,
                () -> "unserved connections counted: " + Metrics.text(node.metrics()).lines()
                        .filter(line -> line.contains("unserved") || line.contains("connect_failures")).toList());
    }

    @Test
    void securityGroupDeniesAtAcceptAndCounts() throws IOException {
        String guarded = base(server(b1)).replace(port + " upstream u\n", port + " upstream u security-group guard\n") + """
                add security-group guard default allow
                add security-group-rule no-loopback to security-group guard network 127.0.0.0/8 protocol TCP \
                port-range %d,%d default deny
                """.formatted(port, port);
        ApplyResult applied = node.apply(Scripts.config(reorder(guarded), 1));
        assertTrue(applied.isApplied(), applied::toString);
        try (LineClient client = new LineClient(lb0)) {
            assertClosedAtOnce(client);
        }
        assertEquals(1.0, Metrics.value(node.metrics(), "fulcrum_security_denied_total", "listener", "lb0"));
        assertEquals(0.0, Metrics.value(node.metrics(), "fulcrum_listener_connections_total", "listener", "lb0"));

        String otherPorts = guarded.replace("port-range " + port + "," + port, "port-range 1,2");
        assertTrue(node.apply(Scripts.config(reorder(otherPorts), 2)).isApplied());
        assertEquals("b1", LineClient.whoAnswers(lb0), "the rule no longer matches: the default allows");
    }

    /** Closed without an answer: EOF, or a reset when the proxy closed with our request unread. */
    private static void assertClosedAtOnce(LineClient client) {
        try {
            assertEquals(null, client.ask("anyone?"));
        } catch (IOException e) {
            assertTrue(e.getMessage().contains("reset"), e.toString());
        }
    }

    /** Security groups must exist before the listener that uses them. */
    private static String reorder(String script) {
        List<String> lines = script.lines().toList();
        List<String> security = lines.stream().filter(l -> l.contains("security-group") && !l.contains("tcp-lb")).toList();
        List<String> rest = lines.stream().filter(l -> !security.contains(l)).toList();
        return String.join("\n", security) + "\n" + String.join("\n", rest) + "\n";
    }

    private void awaitState(String server, HealthState state) {
        Poll.until(Duration.ofSeconds(5), () -> node.health().find("g", server).map(h -> h.getState() == state)
                .orElse(false), () -> server + " " + state + ": " + node.health().find("g", server));
    }
}
