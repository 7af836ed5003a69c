package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.Scripts;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Unlike a TCP connection, a keep-alive HTTP connection routes each request by the config applied at that moment. */
@Timeout(30)
class HttpReconfigurationTest {
    private final HttpBackend b1 = HttpBackend.start("b1");
    private final HttpBackend b2 = HttpBackend.start("b2");
    private final int port = FreePorts.next();
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1).build());

    @AfterEach
    void stop() {
        node.close();
        b1.close();
        b2.close();
    }

    private String script(String hostOfG1, String hostOfG2, String bodyLimit) {
        return """
                add server-group g1 timeout 500 period 1000 up 1 down 2 protocol none
                add server b1 to server-group g1 address %s
                add server-group g2 timeout 500 period 1000 up 1 down 2 protocol none
                add server b2 to server-group g2 address %s
                add upstream u
                add server-group g1 to upstream u annotations {"fulcrum/hint-host":"%s"}
                add server-group g2 to upstream u annotations {"fulcrum/hint-host":"%s"}
                add tcp-lb lb0 address 127.0.0.1:%d upstream u protocol http annotations {"fulcrum/http-max-body-size":"%s"}
                """.formatted(b1.address(), b2.address(), hostOfG1, hostOfG2, port, bodyLimit);
    }

    @Test
    void theNextRequestOfAnOpenConnectionFollowsTheNewConfig() throws IOException {
        assertTrue(node.apply(Scripts.config(script("a.com", "b.com", "0"), 1)).isApplied());
        try (HttpClientConnection client = new HttpClientConnection(new InetSocketAddress("127.0.0.1", port))) {
            assertEquals("b1", client.get("a.com", "/").text());
            assertTrue(node.apply(Scripts.config(script("b.com", "a.com", "3"), 2)).isApplied());
            assertEquals("b2", client.get("a.com", "/").text(), "the hints moved");
            assertEquals(413, client.send("POST / HTTP/1.1\r\nHost: a.com\r\nContent-Length: 4\r\n\r\nbody").read().status(),
                    "and so did the body limit");
        }
    }
}
