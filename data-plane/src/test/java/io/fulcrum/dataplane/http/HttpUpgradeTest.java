package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.MemorySampler;
import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.fulcrum.dataplane.testing.WebSocketClient;
import io.fulcrum.dataplane.testing.WebSocketServer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Upgrade} through a {@code protocol http} listener, with a real WebSocket client and server
 * (Netty's codec): after the server's {@code 101} the connection is relayed as bytes both ways,
 * with the TCP relay's backpressure and the listener's idle timeout; a refused upgrade stays HTTP.
 */
@Timeout(120)
class HttpUpgradeTest {
    private static final int IDLE_MS = 1500;

    private final WebSocketServer server = WebSocketServer.start();
    private final int port = FreePorts.next();
    private final InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());

    HttpUpgradeTest() {
        String script = """
                add server-group g timeout 500 period 1000 up 1 down 2 protocol none
                add server ws1 to server-group g address %s
                add upstream u
                add server-group g to upstream u annotations {"fulcrum/hint-host":"127.0.0.1"}
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol http timeout %d
                """.formatted(server.address(), port, IDLE_MS);
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
    }

    @AfterEach
    void stop() {
        node.close();
        server.close();
    }

    @Test
    void aWebSocketEchoesThroughTheListenerIncludingATenMegabyteMessage() throws Exception {
        byte[] large = new byte[10 << 20];
        new Random(10).nextBytes(large);
        try (WebSocketClient client = new WebSocketClient(lb, "/ws")) {
            client.send(new TextWebSocketFrame("hello"));
            assertEquals("hello", new String(client.next(10), StandardCharsets.UTF_8));
            client.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(large)));
            assertArrayEquals(large, client.next(30), "the 10 MB message came back whole");
            client.send(new TextWebSocketFrame("after"));
            assertEquals("after", new String(client.next(10), StandardCharsets.UTF_8));
        }
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_http_upgrades_total", "listener", "lb0", "group", "g"));
        assertEquals(1, Metrics.value(node.metrics(), "fulcrum_http_requests_total", "group", "g", "code", "1xx"));
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, () -> "open: " + node.openConnections());
    }

    @Test
    void aClientThatStopsReadingStopsTheServerWithBoundedBuffers() throws Exception {
        long total = 128L << 20;
        try (WebSocketClient client = new WebSocketClient(lb, "/ws"); MemorySampler memory = MemorySampler.start()) {
            client.countOnly();
            client.reading(false);
            client.send(new TextWebSocketFrame("push " + total));
            Poll.untilUnchanged(Duration.ofSeconds(20), Duration.ofMillis(300), server::pushed, "the server's writes to stall");
            long stalledAt = server.pushed();
            // kernel socket buffers on the way (a few MB on loopback) plus Fulcrum's two write queues
            assertTrue(stalledAt < 32L << 20, "Fulcrum kept reading: the server pushed " + stalledAt + " bytes");
            assertTrue(memory.peakDirect() < 64L << 20, "direct memory peaked at " + memory.peakDirect());

            client.reading(true);
            Poll.until(Duration.ofSeconds(60), () -> client.receivedBytes() == total,
                    () -> "received " + client.receivedBytes() + " of " + total);
        }
    }

    @Test
    void aRefusedUpgradeContinuesAsHttp() throws Exception {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            // pipelined: the second request waits in the decoder until the upgrade is refused
            client.send("GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals("http /plain", client.read().text());
            assertEquals("http /next", client.read().text());
            assertEquals("http /third", client.get("127.0.0.1", "/third").text());
        }
        assertEquals(0, Metrics.value(node.metrics(), "fulcrum_http_upgrades_total", "listener", "lb0", "group", "g"));
    }

    @Test
    void anIdleUpgradedConnectionClosesAfterTheListenerTimeout() throws Exception {
        try (WebSocketClient client = new WebSocketClient(lb, "/ws")) {
            long start = System.nanoTime();
            client.send(new TextWebSocketFrame("once"));
            assertEquals("once", new String(client.next(10), StandardCharsets.UTF_8));
            Poll.until(Duration.ofSeconds(10), () -> !client.isOpen(), "the idle connection to close");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs >= IDLE_MS - 100, "closed after " + tookMs + " ms");
        }
    }
}
