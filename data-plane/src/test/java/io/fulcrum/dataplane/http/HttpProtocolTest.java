package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import io.fulcrum.dataplane.testing.HttpWire;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.1 details a proxy must get right: HEAD, HTTP/1.0 clients, 100-continue, pipelining, half-close, absolute form. */
@Timeout(30)
class HttpProtocolTest {
    private final HttpBackend backend = HttpBackend.start("b1", (request, index) -> switch (request.uri()) {
        case "/chunked" -> new HttpBackend.Response(200, List.of(), "chunky".getBytes(), 0, true, false, false);
        case "/unframed" -> new HttpBackend.Response(200, List.of(), "until close".getBytes(), 0, false, true, false);
        default -> HttpBackend.Response.ok(request.method() + " " + request.uri() + " " + new String(request.body()));
    });
    private final HttpLoadBalancer balancer = HttpLoadBalancer.start(backend);
    private final InetSocketAddress lb = balancer.address();

    @AfterEach
    void stop() {
        balancer.close();
        backend.close();
    }

    @Test
    void aHeadResponseHasNoBodyEvenWhenChunked() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response head = client.send("HEAD /chunked HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("GET /after ", client.get("a", "/after").text(), "nothing stray after the HEAD response");
        }
    }

    @Test
    void http10ClientsGetKeepAliveOnlyWhenTheyAskAndNoChunks() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response kept = client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("keep-alive", kept.header("Connection"));
            assertEquals("GET /a ", kept.text());
            HttpClientConnection.Response chunked = client.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertNull(chunked.header("Transfer-Encoding"), "an HTTP/1.0 client cannot read chunks");
            assertEquals("close", chunked.header("Connection"));
            assertEquals("chunky", chunked.text());
            assertTrue(client.closedByPeer());
        }
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response once = client.send("GET /b HTTP/1.0\r\n\r\n").read();
            assertEquals("close", once.header("Connection"));
            assertTrue(client.closedByPeer());
        }
        assertEquals("HTTP/1.1", backend.received().get(0).version(), "servers are always spoken to in HTTP/1.1");
    }

    @Test
    void aResponseFramedByCloseIsPassedOnAndClosesTheClient() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            HttpClientConnection.Response response = client.get("a", "/unframed");
            assertEquals("until close", response.text());
            assertEquals("close", response.header("Connection"));
        }
    }

    @Test
    void expectContinueIsPassedThrough() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            HttpClientConnection.Response response = client.send("hello").read();
            assertEquals(200, response.status());
            assertEquals("POST /up hello", response.text());
        }
        assertEquals("100-continue", backend.received().get(0).header("Expect"));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                requests.append(i % 2 == 0 ? "GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n"
                        : "POST /" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\n" + (i % 10));
            }
            client.send(requests.toString());
            for (int i = 0; i < 100; i++) {
                assertEquals((i % 2 == 0 ? "GET /" + i + " " : "POST /" + i + " " + (i % 10)), client.read().text());
            }
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestGetsTheResponse() throws IOException {
        try (Socket socket = new Socket(lb.getAddress(), lb.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /half HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            String status = HttpWire.line(socket.getInputStream());
            assertEquals("HTTP/1.1 200 X", status);
            List<HttpWire.Header> headers = HttpWire.headers(socket.getInputStream());
            assertEquals("GET /half ", new String(HttpWire.body(socket.getInputStream(), headers, false)));
            assertEquals(-1, socket.getInputStream().read(), "then the connection closes");
        }
    }

    @Test
    void anAbsoluteFormTargetIsSentInOriginFormWithItsHost() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            assertEquals("GET /p?q=1 ", client.send("GET http://Origin.example:8080/p?q=1 HTTP/1.1\r\nHost: ignored\r\n\r\n")
                    .read().text());
        }
        assertEquals("Origin.example:8080", backend.received().get(0).header("Host"));
    }
}
