package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.proto.v1.ServerConnections;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A drained server: no new connections, open ones relay on, and the node reports how many are open. */
@Timeout(60)
class ServerDrainTest {
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

    private String config(boolean drain) {
        return """
                add server-group g timeout 300 period 200 up 1 down 1
                add server b1 to server-group g address %s weight 5%s
                add server b2 to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(b1.address(), drain ? " drain true" : "", b2.address(), port);
    }

    private static ServerConnections b1(long open) {
        return ServerConnections.newBuilder().setServerGroup("g").setServer("b1").setOpenConnections(open).build();
    }

    @Test
    void aDrainedServerTakesNoNewConnectionsAndItsOpenOnesAreReportedUntilTheyClose() throws Exception {
        assertTrue(node.apply(Scripts.config(config(false), 1)).isApplied());
        assertEquals(List.of(), node.drainedServers());
        LineClient open = null;
        for (int i = 0; i < 10 && open == null; i++) {
            LineClient client = new LineClient(lb0);
            if (client.ask("hi").startsWith("b1 ")) {
                open = client;
            } else {
                client.close();
            }
        }
        assertTrue(open != null, "a connection to b1");
        assertTrue(node.apply(Scripts.config(config(true), 2)).isApplied());
        assertEquals(List.of(b1(1)), node.drainedServers());
        int accepted = b1.accepted();
        for (int i = 0; i < 20; i++) {
            assertEquals("b2", LineClient.whoAnswers(lb0), "new connections skip the drained server");
        }
        assertEquals(accepted, b1.accepted());
        assertEquals("b1 still", open.ask("still"), "the open connection relays on");
        open.close();
        Poll.until(Duration.ofSeconds(10), () -> node.drainedServers().equals(List.of(b1(0))), "b1 reported at 0");
    }
}
