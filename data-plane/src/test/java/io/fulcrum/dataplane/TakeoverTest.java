package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverClient;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverException;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverServer;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second node takes the listening sockets of a running one over a Unix socket, while a client
 * keeps connecting: no connection fails, and once the new node says it serves, the old one
 * accepts nothing more. A takeover that fails before that changes nothing.
 */
@Timeout(60)
class TakeoverTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private NamedServer backend;
    private int port;
    private String script;

    @BeforeEach
    void start() {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here (a takeover needs it)");
        backend = NamedServer.start("s1");
        port = FreePorts.next();
        script = "add event-loop-group acceptors\nadd event-loop a1 to event-loop-group acceptors\n"
                + "add event-loop a2 to event-loop-group acceptors\n"
                + "add server-group g timeout 500 period 60000 up 1 down 1\n"
                + "add server s1 to server-group g address " + backend.address() + "\n"
                + "add upstream u\nadd server-group g to upstream u\n"
                + "add tcp-lb lb0 acceptor-elg acceptors address 127.0.0.1:" + port + " upstream u\n";
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        backend.close();
    }

    private DataPlane node(String id) {
        DataPlane node = DataPlane.start(DataPlaneOptions.builder(id).workerLoops(1).build());
        open.add(node);
        return node;
    }

    private static double accepted(DataPlane node) {
        return Metrics.value(node.metrics(), "fulcrum_listener_connections_total", "listener", "lb0");
    }

    @Test
    void theNewNodeServesTheSameSocketsAndNoConnectionFails() throws Exception {
        DataPlane old = node("dp1");
        ApplyResult applied = old.apply(Scripts.config(script, 7));
        assertTrue(applied.isApplied(), applied::toString);
        CountDownLatch handedOver = new CountDownLatch(1);
        AtomicLong newPid = new AtomicLong();
        Path socket = dir.resolve("takeover.sock");
        TakeoverServer server = TakeoverServer.listen(socket, new NodeHandover(old, new NodeLifecycle()), pid -> {
            newPid.set(pid);
            handedOver.countDown();
        });
        open.add(server);

        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                String who = LineClient.whoAnswers(lb);
                if ("s1".equals(who)) {
                    answered.incrementAndGet();
                } else {
                    failures.add(who);
                }
            }
        });
        load.start();
        Poll.until(Duration.ofSeconds(10), () -> answered.get() > 50, "the old node serves");

        DataPlane next = node("dp1");
        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            TakeoverClient.Taken taken = client.take("dp1");
            assertEquals(2, taken.listeners().get(0).descriptors().size(), "one socket per acceptor loop");
            assertEquals(7, taken.config().orElseThrow().getVersion());
            next.inherit(taken.sockets());
            ApplyResult nextApplied = next.apply(taken.config().get());
            assertTrue(nextApplied.isApplied(), nextApplied::toString);
            client.ready(nextApplied.version());
        }
        assertTrue(handedOver.await(10, TimeUnit.SECONDS), "the old node was told");
        assertEquals(ProcessHandle.current().pid(), newPid.get());
        assertTrue(Files.notExists(socket), "the old node's takeover socket is gone");
        double oldAccepted = accepted(old);
        int before = answered.get();
        Poll.until(Duration.ofSeconds(10), () -> answered.get() > before + 100, "the new node serves");
        running.set(false);
        load.join(10_000);
        assertEquals(List.of(), failures, "no connection failed during the takeover");
        assertEquals(oldAccepted, accepted(old), "the old node accepted nothing after the handover");
        assertTrue(accepted(next) > 100, "the new node accepted " + accepted(next));
    }

    @Test
    void aTakeoverThatFailsBeforeItIsReadyLeavesTheOldNodeServing() throws Exception {
        DataPlane old = node("dp1");
        assertTrue(old.apply(Scripts.config(script, 3)).isApplied());
        Path socket = dir.resolve("takeover.sock");
        CountDownLatch handedOver = new CountDownLatch(1);
        open.add(TakeoverServer.listen(socket, new NodeHandover(old, new NodeLifecycle()), pid -> handedOver.countDown()));
        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);

        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            client.take("dp1");
            client.failed("the new config does not apply: planted");
        }
        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            client.take("dp1");
            // and one that just goes away before it is ready
        }
        double before = accepted(old);
        for (int i = 0; i < 20; i++) {
            assertEquals("s1", LineClient.whoAnswers(lb));
        }
        assertEquals(before + 20, accepted(old), "the old node still accepts every connection");
        assertEquals(1, handedOver.getCount(), "nothing was handed over");
        assertTrue(Files.exists(socket), "it still listens for a takeover");
    }

    @Test
    void configsWaitWhileATakeoverIsOfferedAndApplyOnceItFails() throws Exception {
        DataPlane old = node("dp1");
        assertTrue(old.apply(Scripts.config(script, 3)).isApplied());
        Path socket = dir.resolve("takeover.sock");
        open.add(TakeoverServer.listen(socket, new NodeHandover(old, new NodeLifecycle()), pid -> { }));
        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            client.take("dp1");
            java.util.concurrent.CompletableFuture<ApplyResult> pushed = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> old.apply(Scripts.config(script + "add upstream u2\n", 4)));
            assertThrows(java.util.concurrent.TimeoutException.class, () -> pushed.get(500, TimeUnit.MILLISECONDS),
                    "a config pushed while the sockets are offered waits");
            client.failed("planted");
            assertTrue(pushed.get(10, TimeUnit.SECONDS).isApplied(), "it applies once the takeover failed");
        }
        assertEquals(4, old.appliedVersion());
    }

    @Test
    void aNodeThatStopsRefusesTheTakeoverAtTheLastStep() throws Exception {
        DataPlane old = node("dp1");
        assertTrue(old.apply(Scripts.config(script, 3)).isApplied());
        Path socket = dir.resolve("takeover.sock");
        NodeLifecycle lifecycle = new NodeLifecycle();
        CountDownLatch handedOver = new CountDownLatch(1);
        open.add(TakeoverServer.listen(socket, new NodeHandover(old, lifecycle), pid -> handedOver.countDown()));
        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            client.take("dp1");
            lifecycle.stop(); // SIGTERM before the new process is ready
            TakeoverException refused = assertThrows(TakeoverException.class, () -> client.ready(3));
            assertTrue(refused.getMessage().contains("refused at the last step"), refused.getMessage());
        }
        assertEquals(NodeLifecycle.Phase.STOPPING, lifecycle.await());
        assertEquals(1, handedOver.getCount(), "no handover once the node stops");
        assertEquals("s1", LineClient.whoAnswers(new InetSocketAddress("127.0.0.1", port)), "still its listeners to drain");
    }

    @Test
    void anotherNodeIdIsRefused() {
        DataPlane old = node("dp1");
        assertTrue(old.apply(Scripts.config(script, 3)).isApplied());
        Path socket = dir.resolve("takeover.sock");
        open.add(TakeoverServer.listen(socket, new NodeHandover(old, new NodeLifecycle()), pid -> { }));
        try (TakeoverClient client = TakeoverClient.connect(socket, Duration.ofSeconds(5))) {
            TakeoverException refused = assertThrows(TakeoverException.class, () -> client.take("dp2"));
            assertTrue(refused.getMessage().contains("the new process is node dp2, this one is dp1"), refused.getMessage());
        }
    }

    @Test
    void nothingListeningIsAClearError() {
        TakeoverException none = assertThrows(TakeoverException.class,
                () -> TakeoverClient.connect(dir.resolve("absent.sock"), Duration.ofSeconds(2)));
        assertTrue(none.getMessage().startsWith("no running data plane to take over at"), none.getMessage());
    }
}
