package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.runtime.TransportKind;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Scripts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several nodes on one host bind the same listener address (SO_REUSEPORT), and with
 * {@code method source} a client lands on the same server whichever node takes it.
 */
@Timeout(60)
class SharedAddressTest {
    private final List<NamedServer> backends = new ArrayList<>();
    private final List<DataPlane> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(DataPlane::close);
        backends.forEach(NamedServer::close);
    }

    @Test
    void nodesShareAnAddressAndAgreeOnTheSourceHash() {
        for (int i = 1; i <= 5; i++) {
            backends.add(NamedServer.start("s" + i));
        }
        int port = FreePorts.next();
        StringBuilder script = new StringBuilder("add server-group g timeout 500 period 60000 up 1 down 1 method source\n");
        for (NamedServer backend : backends) {
            script.append("add server ").append(backend.name()).append(" to server-group g address ")
                    .append(backend.address()).append('\n');
        }
        script.append("add upstream u\nadd server-group g to upstream u\n")
                .append("add tcp-lb lb0 address 127.0.0.1:").append(port).append(" upstream u\n");
        TransportKind[] transports = {TransportKind.AUTO, TransportKind.NIO, TransportKind.AUTO};
        for (int i = 0; i < 3; i++) {
            DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp" + i).workerLoops(1)
                    .transport(transports[i]).random(new Random(i)).build());
            nodes.add(node);
            ApplyResult result = node.apply(Scripts.config(script.toString(), 1));
            assertTrue(result.isApplied(), result::toString);
        }
        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            servers.add(LineClient.whoAnswers(lb));
        }
        assertEquals(1, servers.size(), "127.0.0.1 hashes to one server on every node: " + servers);
        long served = nodes.stream().filter(node -> metric(node) > 0).count();
        assertTrue(served >= 2, "the kernel spread connections over the nodes sharing the address");

        nodes.remove(0).close();
        nodes.remove(0).close();
        assertEquals(servers.iterator().next(), LineClient.whoAnswers(lb), "the last node still serves the address");
    }

    private static double metric(DataPlane node) {
        return io.fulcrum.dataplane.testing.Metrics.value(node.metrics(), "fulcrum_listener_connections_total",
                "listener", "lb0");
    }
}
