package io.fulcrum.dataplane.proxyprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HaproxyProcess;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpWire;
import io.fulcrum.dataplane.testing.Scripts;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP listener behind a real HAProxy in {@code mode tcp} with {@code send-proxy-v2}: the
 * client's address survives the L4 hop into X-Forwarded-For and X-Real-IP.
 */
@Timeout(60)
class ProxyProtocolHaproxyTest {
    @Test
    void theOriginalClientBehindHaproxySendProxyV2ReachesXForwardedFor(@TempDir Path dir) throws IOException {
        HaproxyProcess.require();
        int fulcrumPort = FreePorts.next();
        int haproxyPort = FreePorts.next();
        try (HttpBackend backend = HttpBackend.start("b1");
                DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build())) {
            assertTrue(node.apply(Scripts.config("""
                    add server-group g timeout 500 period 1000 up 1 down 2 protocol none
                    add server b1 to server-group g address %s
                    add upstream u
                    add server-group g to upstream u
                    add tcp-lb web address 127.0.0.1:%d upstream u protocol http annotations {"fulcrum/proxy-protocol-accept":"127.0.0.1/32"}
                    """.formatted(backend.address(), fulcrumPort), 1)).isApplied());
            try (HaproxyProcess haproxy = HaproxyProcess.start(dir, """
                    defaults
                        mode tcp
                        timeout connect 2s
                        timeout client 10s
                        timeout server 10s
                    frontend l4
                        bind 127.0.0.1:%d
                        default_backend fulcrum
                    backend fulcrum
                        server f1 127.0.0.1:%d send-proxy-v2
                    """.formatted(haproxyPort, fulcrumPort), haproxyPort)) {
                try (Socket client = new Socket()) {
                    client.setSoTimeout(10_000);
                    client.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                    client.connect(new InetSocketAddress("127.0.0.1", haproxyPort), 5000);
                    client.getOutputStream().write("GET /through HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    InputStream in = new BufferedInputStream(client.getInputStream());
                    assertEquals("HTTP/1.1 200 X", HttpWire.line(in), haproxy.output());
                    assertEquals("b1", new String(HttpWire.body(in, HttpWire.headers(in), false), StandardCharsets.UTF_8));
                }
            }
            HttpBackend.Request request = backend.received().stream().filter(r -> r.uri().equals("/through")).findFirst()
                    .orElseThrow();
            assertEquals("127.0.0.2", request.header("X-Forwarded-For"), "HAProxy's client, not HAProxy (127.0.0.1)");
            assertEquals("127.0.0.2", request.header("X-Real-IP"));
        }
    }
}
