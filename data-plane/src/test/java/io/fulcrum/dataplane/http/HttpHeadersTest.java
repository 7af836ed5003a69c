package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import io.fulcrum.dataplane.testing.HttpWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a request and a response look like on the other side of the proxy. */
@Timeout(30)
class HttpHeadersTest {
    private final HttpBackend backend = HttpBackend.start("b1", (request, index) -> switch (request.uri()) {
        case "/hop" -> new HttpBackend.Response(200, List.of(new HttpWire.Header("Connection", "X-Secret"),
                new HttpWire.Header("X-Secret", "s"), new HttpWire.Header("Keep-Alive", "timeout=5"),
                new HttpWire.Header("X-Kept", "k")), "hop".getBytes(), 0, false, false, false);
        case "/chunked" -> new HttpBackend.Response(200, List.of(), "chunky".getBytes(), 0, true, false, false);
        default -> HttpBackend.Response.ok("b1");
    });
    private final HttpLoadBalancer balancer = HttpLoadBalancer.start(backend);
    private final InetSocketAddress lb = balancer.address();

    @AfterEach
    void stop() {
        balancer.close();
        backend.close();
    }

    @Test
    void forwardedHeadersAreAddedHostIsKeptHopByHopIsRemoved() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response response = client.send("GET /a?b=c HTTP/1.1\r\nHost: Www.Example.com:8080\r\n"
                    + "X-Forwarded-For: 10.1.1.1\r\nConnection: keep-alive, X-Private, Content-Length\r\nX-Private: p\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nUpgrade: websocket\r\nProxy-Connection: keep-alive\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Real-IP: 6.6.6.6\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("b1", response.text());
        }
        HttpBackend.Request got = backend.received().get(0);
        assertEquals("GET", got.method());
        assertEquals("/a?b=c", got.uri());
        assertEquals("HTTP/1.1", got.version());
        assertEquals("Www.Example.com:8080", got.header("Host"));
        assertEquals("10.1.1.1, 127.0.0.1", got.header("X-Forwarded-For"));
        assertEquals("http", got.header("X-Forwarded-Proto"));
        assertEquals("127.0.0.1", got.header("X-Real-IP"));
        for (String hop : List.of("Connection", "X-Private", "Keep-Alive", "TE", "Upgrade", "Proxy-Connection")) {
            assertNull(got.header(hop), hop + " must not be forwarded");
        }
    }

    @Test
    void responseHopByHopIsRemovedAndFramingIsKept() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response hop = client.get("a", "/hop");
            assertEquals("hop", hop.text());
            assertNull(hop.header("X-Secret"));
            assertNull(hop.header("Keep-Alive"));
            assertNull(hop.header("Connection"));
            assertEquals("k", hop.header("X-Kept"));
            HttpClientConnection.Response chunked = client.get("a", "/chunked");
            assertEquals("chunked", chunked.header("Transfer-Encoding"));
            assertEquals("chunky", chunked.text());
        }
    }
}
