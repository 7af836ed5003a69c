package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.runtime.SpliceCheck;
import io.fulcrum.dataplane.runtime.Transport;
import io.fulcrum.dataplane.runtime.TransportKind;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.dataplane.testing.Scripts;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When Fulcrum's splicing channels do not work with the Netty on the class path (a LinkageError
 * after an upgrade, forced here through the check), the node uses Netty's own epoll channels and
 * still relays: it only loses splice and the registration shortcut.
 */
@Timeout(60)
class SpliceFallbackTest {
    /** What a Netty upgrade that renamed a field the channels write would throw. */
    private static final SpliceCheck BROKEN = () -> {
        throw new NoSuchFieldError("flags (forced by SpliceFallbackTest)");
    };

    private final List<NamedServer> backends = new ArrayList<>();
    private DataPlane node;

    @BeforeEach
    void epoll() {
        Preconditions.require(Epoll.isAvailable(), "native epoll is not available here");
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        backends.forEach(NamedServer::close);
    }

    @Test
    void aFailedCheckGivesNettysOwnEpollChannels() {
        Transport transport = Transport.of(TransportKind.EPOLL, BROKEN);
        assertTrue(transport.isEpoll());
        assertFalse(transport.isSplicing());
        assertEquals("epoll-netty", transport.name());
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 1);
        assertInstanceOf(EpollSocketChannel.class, transport.newSocketChannel(loopback));
        assertInstanceOf(EpollServerSocketChannel.class, transport.newServerChannel(loopback));
        assertEquals("epoll-splice", Transport.of(TransportKind.EPOLL).name(), "the real check passes with the pinned Netty");
        assertEquals("nio", Transport.of(TransportKind.NIO, BROKEN).name());
    }

    @Test
    void aNodeWhoseCheckFailsStillRelaysWithNettysChannels() throws Exception {
        backends.add(NamedServer.start("s1"));
        backends.add(NamedServer.start("s2"));
        int port = FreePorts.next();
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).transport(TransportKind.EPOLL)
                .spliceCheck(BROKEN).random(new Random(1)).build());
        ApplyResult result = node.apply(Scripts.config(Scripts.seed(port, backends, 10, 10), 1));
        assertTrue(result.isApplied(), result::toString);
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_transport_info", "transport", "epoll-netty"));

        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        Set<String> answering = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            answering.add(LineClient.whoAnswers(lb));
        }
        assertEquals(Set.of("s1", "s2"), answering, "both servers answer through the node");
        // a stream both ways (1 MiB line out, 1 MiB back): where the channels splice it would switch
        String line = "x".repeat(1 << 20);
        try (LineClient client = new LineClient(lb)) {
            String answer = client.ask(line);
            assertTrue(answer != null && answer.endsWith(" " + line), "the 1 MiB line came back whole");
        }
        assertEquals(0, Metrics.value(node.metrics(), "fulcrum_listener_spliced_total", "direction", "in"));
        assertEquals(0, Metrics.value(node.metrics(), "fulcrum_listener_spliced_total", "direction", "out"));
    }
}
