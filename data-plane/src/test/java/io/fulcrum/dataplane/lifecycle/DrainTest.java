package io.fulcrum.dataplane.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A drain: listeners close, HTTP connections end after their current response (which says so), TCP ones run on. */
@Timeout(30)
class DrainTest {
    private final int httpPort = FreePorts.next();
    private final int tcpPort = FreePorts.next();
    private final InetSocketAddress http = new InetSocketAddress("127.0.0.1", httpPort);
    private final CountDownLatch slowRequestArrived = new CountDownLatch(1);
    private final CountDownLatch answerSlowRequest = new CountDownLatch(1);
    private HttpBackend backend;
    private ServerSocket echo;
    private DataPlane node;

    private void start() throws IOException {
        backend = HttpBackend.start("b1", (request, index) -> {
            if (request.uri().equals("/slow")) {
                slowRequestArrived.countDown();
                try {
                    answerSlowRequest.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return HttpBackend.Response.ok("b1");
        });
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread echoing = new Thread(this::echoOnce, "echo");
        echoing.setDaemon(true);
        echoing.start();
        String script = "add server-group g timeout 500 period 1000 up 1 down 2 protocol none\n"
                + "add server b1 to server-group g address " + backend.address() + "\n"
                + "add server e1 to server-group g2 address 127.0.0.1:" + echo.getLocalPort() + "\n"
                + "add upstream u\nadd server-group g to upstream u\nadd upstream u2\nadd server-group g2 to upstream u2\n"
                + "add tcp-lb web address 127.0.0.1:" + httpPort + " upstream u protocol http\n"
                + "add tcp-lb raw address 127.0.0.1:" + tcpPort + " upstream u2\n";
        script = "add server-group g2 timeout 500 period 1000 up 1 down 2 protocol none\n" + script;
        node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(2).build());
        assertTrue(node.apply(Scripts.config(script, 1)).isApplied());
    }

    private void echoOnce() {
        try (Socket s = echo.accept()) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
            // closed
        }
    }

    @AfterEach
    void stop() throws IOException {
        answerSlowRequest.countDown();
        if (node != null) {
            node.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void theCurrentResponseOfAKeepAliveConnectionSaysCloseAndTheConnectionEnds() throws Exception {
        start();
        HttpClientConnection slow = new HttpClientConnection(http);
        HttpClientConnection idle = new HttpClientConnection(http);
        assertEquals("b1", idle.get("a", "/").text());
        assertEquals(null, idle.get("a", "/").header("connection"));
        slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(slowRequestArrived.await(10, TimeUnit.SECONDS));
        Drain drain = new Drain(node, Clock.systemUTC());
        drain.stopAccepting();
        drain.closeHttpAfterCurrentRequest();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", httpPort).close());
        // the idle one answered a request less than the grace ago: a request on its way is still answered
        HttpClientConnection.Response late = idle.get("a", "/");
        assertEquals(200, late.status());
        assertEquals("close", late.header("connection"));
        assertTrue(idle.closedByPeer());
        answerSlowRequest.countDown();
        HttpClientConnection.Response last = slow.read();
        assertEquals(200, last.status());
        assertEquals("close", last.header("connection"));
        assertTrue(slow.closedByPeer());
        assertEquals(0, drain.awaitConnections(Duration.ofSeconds(5)));
        assertTrue(node.draining());
        assertFalse(node.apply(Scripts.config("", 2)).isApplied());
    }

    @Test
    void anIdleKeepAliveConnectionClosesOnceItsGraceEndsAndTcpConnectionsRunUntilTheTimeout() throws Exception {
        start();
        HttpClientConnection idle = new HttpClientConnection(http);
        assertEquals("b1", idle.get("a", "/").text());
        try (Socket tcp = new Socket("127.0.0.1", tcpPort)) {
            tcp.getOutputStream().write('x');
            assertEquals('x', tcp.getInputStream().read());
            Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 2, "2 open");
            Drain drain = new Drain(node, Clock.systemUTC());
            CompletableFuture<Drain.Outcome> outcome = CompletableFuture.supplyAsync(
                    () -> drain.run(Duration.ofSeconds(3), new Drain.Observer() { }));
            assertTrue(idle.closedByPeer());
            Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 1, "the HTTP connection gone");
            // the TCP connection still relays while the drain waits
            tcp.getOutputStream().write('y');
            assertEquals('y', tcp.getInputStream().read());
            Drain.Outcome done = outcome.get(10, TimeUnit.SECONDS);
            assertFalse(done.drained());
            assertEquals(1, done.left());
            assertTrue(done.duration().toMillis() >= 3000, done.toString());
            assertEquals(-1, tcp.getInputStream().read());
        }
    }
}
