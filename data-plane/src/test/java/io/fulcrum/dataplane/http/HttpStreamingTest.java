package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import io.fulcrum.dataplane.testing.HttpWire;
import io.fulcrum.dataplane.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bodies stream through both ways, chunked or with a length, and a slow reader slows the server down. */
@Timeout(60)
class HttpStreamingTest {
    private static final long HUGE = 256L << 20;

    private final HttpBackend backend = HttpBackend.start("b1", (request, index) -> switch (request.uri()) {
        case "/echo-chunked" -> new HttpBackend.Response(200, List.of(), request.body(), 0, true, false, false);
        case "/huge" -> new HttpBackend.Response(200, List.of(), new byte[0], HUGE, false, false, false);
        default -> new HttpBackend.Response(200, List.of(), request.body(), 0, false, false, false);
    });
    private final HttpLoadBalancer balancer = HttpLoadBalancer.start(backend);
    private final InetSocketAddress lb = balancer.address();

    @AfterEach
    void stop() {
        balancer.close();
        backend.close();
    }

    @Test
    void aLargeChunkedRequestComesBackWithALength() throws IOException {
        byte[] body = random(12 << 20);
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int offset = 0; offset < body.length; offset += 65536) {
                int size = Math.min(65536, body.length - offset);
                ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                chunk.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                chunk.write(body, offset, size);
                chunk.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                client.send(chunk.toByteArray());
            }
            HttpClientConnection.Response response = client.send("0\r\n\r\n").read();
            assertEquals(String.valueOf(body.length), response.header("Content-Length"));
            assertArrayEquals(body, response.body());
        }
        assertEquals("chunked", backend.received().get(0).header("Transfer-Encoding"));
    }

    @Test
    void aLargeRequestWithALengthComesBackChunked() throws IOException {
        byte[] body = random(12 << 20);
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            client.send("PUT /echo-chunked HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
            client.send(body);
            HttpClientConnection.Response response = client.read();
            assertEquals("chunked", response.header("Transfer-Encoding"));
            assertArrayEquals(body, response.body());
            assertEquals("b1", client.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nb1").read().text(),
                    "the connection carries the next request");
        }
    }

    @Test
    void aSlowReaderPausesTheServer() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(lb)) {
            client.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n");
            InputStream in = client.input();
            List<HttpWire.Header> headers = HttpWire.headers(skipStatus(in));
            assertEquals(String.valueOf(HUGE), HttpWire.header(headers, "Content-Length"));
            long read = in.readNBytes(1 << 20).length;

            // reading stopped: the server must stop too, far from the end of the body
            Poll.untilUnchanged(Duration.ofSeconds(10), Duration.ofMillis(300), backend::bodyBytesWritten,
                    "the server's writes to stall");
            long stalledAt = backend.bodyBytesWritten();
            assertTrue(stalledAt < HUGE / 2, "the server wrote " + stalledAt + " bytes to a client that read " + read);

            byte[] buffer = new byte[1 << 16];
            int n;
            while (read < HUGE && (n = in.read(buffer, 0, (int) Math.min(buffer.length, HUGE - read))) > 0) {
                read += n;
            }
            assertEquals(HUGE, read, "the whole body arrives once the client reads again");
        }
    }

    private static InputStream skipStatus(InputStream in) throws IOException {
        String status = HttpWire.line(in);
        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        return in;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
