package io.fulcrum.dataplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fulcrum.config.schema.StatusRanges;
import io.fulcrum.dataplane.testing.FreePorts;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The active checks against real sockets on 127.0.0.1. */
@Timeout(30)
class HealthCheckTest {
    private final NioEventLoopGroup group = new NioEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private HttpServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop(0);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void tcpCheckConnectsOrSaysWhy() throws IOException {
        TcpCheck check = new TcpCheck(NioSocketChannel.class);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult ok = run(check, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 1000);
            assertTrue(ok.ok(), ok.toString());
            assertTrue(ok.latencyUs() > 0);
        }
        CheckResult refused = run(check, new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()), 1000);
        assertFalse(refused.ok());
        assertEquals("connect refused", refused.reason());
    }

    @Test
    void httpCheckExpectsAConfiguredStatus() throws IOException {
        CountDownLatch hang = new CountDownLatch(1);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/health", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            int status = "HEAD".equals(exchange.getRequestMethod()) && "svc.local".equals(host) ? 204 : 503;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        http.createContext("/slow", exchange -> {
            try {
                hang.await(5, TimeUnit.SECONDS); // a backend that never answers in time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        InetSocketAddress address = http.getAddress();
        StatusRanges ok = StatusRanges.parse("2xx,3xx");

        CheckResult good = run(new HttpCheck(NioSocketChannel.class, "HEAD", "/health", "svc.local", ok, null), address, 2000);
        assertTrue(good.ok(), good.toString());
        assertEquals("http status 204", good.reason());

        CheckResult wrongHost = run(new HttpCheck(NioSocketChannel.class, "HEAD", "/health", null, ok, null), address, 2000);
        assertEquals(CheckResult.failed("http status 503"), wrongHost);

        CheckResult accepted503 = run(new HttpCheck(NioSocketChannel.class, "GET", "/health", null,
                StatusRanges.parse("200-299,503"), null), address, 2000);
        assertTrue(accepted503.ok());

        CheckResult slow = run(new HttpCheck(NioSocketChannel.class, "GET", "/slow", null, ok, null), address, 300);
        hang.countDown();
        assertEquals(CheckResult.failed("timeout after 300 ms"), slow);
    }

    private CheckResult run(HealthCheck check, InetSocketAddress address, int timeoutMs) {
        return check.run(loop, address, timeoutMs).syncUninterruptibly().getNow();
    }
}
