package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Slow start through a real node: an undrained server ramps from a small share to its full one
 * over the group's window; the first config a node applies ramps nothing.
 */
@Timeout(60)
class ServerSlowStartTest {
    private static final int WINDOW_MS = 8000;
    private static final int CONNECTIONS = 60;

    private final NamedServer b1 = NamedServer.start("b1");
    private final NamedServer b2 = NamedServer.start("b2");
    private final int port = FreePorts.next();
    private final InetSocketAddress lb0 = new InetSocketAddress("127.0.0.1", port);
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());

    @AfterEach
    void stop() {
        node.close();
        b1.close();
        b2.close();
    }

    private String config(boolean drainB2) {
        return """
                add server-group g timeout 300 period 200 up 1 down 1 slow-start %d
                add server b1 to server-group g address %s
                add server b2 to server-group g address %s%s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(WINDOW_MS, b1.address(), b2.address(), drainB2 ? " drain true" : "", port);
    }

    /** How many of {@link #CONNECTIONS} new connections b2 answers. */
    private int b2Answers() throws Exception {
        int b2 = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            if (LineClient.whoAnswers(lb0).equals("b2")) {
                b2++;
            }
        }
        return b2;
    }

    @Test
    void anUndrainedServerRampsUpOverTheWindow() throws Exception {
        assertTrue(node.apply(Scripts.config(config(true), 1)).isApplied());
        long undrained = System.nanoTime();
        assertTrue(node.apply(Scripts.config(config(false), 2)).isApplied());
        int early = b2Answers();
        double elapsed = (System.nanoTime() - undrained) / 1e6 / WINDOW_MS;
        // at most the ramp reached by the end of the burst, of b2's half share, plus noise
        double most = CONNECTIONS * 0.5 * Math.max(0.1, Math.min(1, elapsed)) + 8;
        assertTrue(early <= most, "b2 took " + early + " of " + CONNECTIONS + " in the first " + elapsed
                + " of its window; at most " + most);
        Poll.until(Duration.ofSeconds(20), () -> System.nanoTime() - undrained > WINDOW_MS * 1_000_000L, "window over");
        int late = b2Answers();
        assertTrue(late >= CONNECTIONS / 2 - 10, "after the window b2 takes its half: " + late + " of " + CONNECTIONS);
    }

    @Test
    void theFirstConfigANodeAppliesRampsNothing() throws Exception {
        assertTrue(node.apply(Scripts.config(config(false), 1)).isApplied());
        int b2 = b2Answers();
        assertTrue(b2 >= CONNECTIONS / 2 - 10, "b2 takes its half at once: " + b2 + " of " + CONNECTIONS);
    }
}
