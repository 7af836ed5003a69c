package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Interpreter;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 60 clients keep connections busy with request/response while servers are added, removed and
 * re-weighted and the upstream's links change: not one request may fail.
 */
@Timeout(120)
class ReconfigurationUnderLoadTest {
    private static final int CLIENTS = 60;
    private static final int REQUESTS_PER_CONNECTION = 25;

    private final List<NamedServer> backends = new ArrayList<>();
    private final int port = FreePorts.next();
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Set<String> answeredBy = ConcurrentHashMap.newKeySet();
    private final List<Thread> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(10_000);
        }
        node.close();
        backends.forEach(NamedServer::close);
    }

    @Test
    void noRequestFailsWhileTheConfigChanges() {
        for (int i = 1; i <= 6; i++) {
            backends.add(NamedServer.start("s" + i));
        }
        Interpreter config = new Interpreter();
        exec(config, """
                add event-loop-group workers
                add event-loop w1 to event-loop-group workers
                add event-loop w2 to event-loop-group workers
                add server-group g1 timeout 300 period 200 up 1 down 2 method wrr
                add server-group g2 timeout 300 period 200 up 1 down 2 method wlc
                add server-group g3 timeout 300 period 200 up 1 down 2 method source
                add server s1 to server-group g1 address %s
                add server s2 to server-group g1 address %s
                add server s3 to server-group g2 address %s
                add server s4 to server-group g3 address %s
                add upstream u
                add server-group g1 to upstream u weight 10
                add server-group g2 to upstream u weight 10
                add tcp-lb lb0 address 127.0.0.1:%d upstream u event-loop-group workers
                """.formatted(address(1), address(2), address(3), address(4), port));

        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < CLIENTS; i++) {
            Thread client = new Thread(() -> clientLoop(lb), "load-client-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        Poll.until(Duration.ofSeconds(20), () -> node.openConnections() >= 50, () -> "50 busy connections, now "
                + node.openConnections());

        List<String> changes = List.of(
                "add server s5 to server-group g1 address " + address(5),
                "update server s1 in server-group g1 weight 30",
                "add server-group g3 to upstream u weight 5",
                "remove server s2 from server-group g1",
                "update server-group g2 in upstream u weight 0",
                "add server s6 to server-group g2 address " + address(6),
                "update server-group g2 in upstream u weight 20",
                "remove server-group g1 from upstream u",
                "update server s3 in server-group g2 weight 0",
                "add server-group g1 to upstream u weight 10",
                "add server s2 to server-group g1 address " + address(2),
                "update server-group g3 in upstream u weight 1",
                "remove server s5 from server-group g1",
                "add event-loop w3 to event-loop-group workers",
                "update server s3 in server-group g2 weight 10",
                "remove event-loop w1 from event-loop-group workers",
                "update server-group g2 method wrr",
                "update server-group g1 method source");
        for (String change : changes) {
            exec(config, change);
            long seen = requests.get();
            Poll.until(Duration.ofSeconds(20), () -> requests.get() >= seen + 500 || !failures.isEmpty(),
                    () -> "traffic after '" + change + "'");
            assertTrue(failures.isEmpty(), () -> "after '" + change + "': " + failures.peek());
        }
        running.set(false);
        for (Thread client : clients) {
            try {
                client.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertTrue(requests.get() > 5000, "requests: " + requests.get());
        assertEquals(Set.of("s1", "s2", "s3", "s4", "s5", "s6"), Set.copyOf(answeredBy), "every server took part");
    }

    private void clientLoop(InetSocketAddress lb) {
        int n = 0;
        while (running.get()) {
            try (LineClient client = new LineClient(lb)) {
                for (int i = 0; i < REQUESTS_PER_CONNECTION && running.get(); i++) {
                    String question = "q" + (n++);
                    String answer = client.ask(question);
                    if (answer == null || !answer.endsWith(" " + question)) {
                        failures.add("asked " + question + ", got " + answer);
                        return;
                    }
                    answeredBy.add(answer.substring(0, answer.indexOf(' ')));
                    requests.incrementAndGet();
                }
            } catch (IOException e) {
                failures.add(e.toString());
                return;
            }
        }
    }

    private void exec(Interpreter config, String script) {
        config.exec(script);
        ApplyResult result = node.apply(config.model().toProto());
        assertTrue(result.isApplied(), result::toString);
    }

    private String address(int server) {
        return backends.get(server - 1).address();
    }
}
