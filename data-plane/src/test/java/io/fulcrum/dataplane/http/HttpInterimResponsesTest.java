package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import io.fulcrum.dataplane.testing.HttpWire;
import io.fulcrum.dataplane.testing.SocketServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interim (1xx) responses from the server: {@code 100 Continue} answers the client's expectation
 * (the server decides, Fulcrum passes it on), {@code 103 Early Hints} and other 1xx go to the
 * client, and the final response always follows on the same connection.
 */
@Timeout(60)
class HttpInterimResponsesTest {
    private static final int NINE_MB = 9 << 20;

    /** Answers 100 to an expectation before reading the body, like Tomcat or Go; then "bytes sha256". */
    private final SocketServer server = SocketServer.start(HttpInterimResponsesTest::serve);
    private final HttpLoadBalancer balancer = HttpLoadBalancer.start(server.address());

    @AfterEach
    void stop() {
        balancer.close();
        server.close();
    }

    @Test
    void aNineMegabyteUploadWaitsForTheServersContinueAndGetsItsAnswer() throws Exception {
        byte[] body = random(NINE_MB);
        try (HttpClientConnection client = new HttpClientConnection(balancer.address())) {
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length
                    + "\r\nExpect: 100-continue\r\n\r\n");
            HttpClientConnection.Response interim = client.read();
            assertEquals(100, interim.status(), "the server's 100 Continue, before any body byte was sent");
            HttpClientConnection.Response response = client.send(body).read();
            assertEquals(200, response.status());
            assertEquals(body.length + " " + sha256(body), response.text());
            assertEquals(200, client.get("a", "/next").status(), "the connection carries the next request");
        }
    }

    @Test
    void curlUploadsNineMegabytesWithExpectContinue(@TempDir Path dir) throws Exception {
        Preconditions.requireExecutable("/usr/bin/curl", "apt-get install curl");
        byte[] body = random(NINE_MB);
        Path file = Files.write(dir.resolve("upload.bin"), body);
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "-v", "--max-time", "30", "--data-binary", "@" + file,
                "http://127.0.0.1:" + balancer.address().getPort() + "/upload")
                .redirectError(dir.resolve("curl.err").toFile()).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(40, TimeUnit.SECONDS));
        String trace = Files.readString(dir.resolve("curl.err"));
        assertEquals(0, curl.exitValue(), trace);
        assertTrue(trace.contains("Expect: 100-continue"), "curl sent the expectation: " + trace);
        assertTrue(trace.contains("HTTP/1.1 100 Continue"), trace);
        assertEquals(body.length + " " + sha256(body), out);
    }

    @Test
    void earlyHintsAndOtherInterimResponsesPrecedeTheFinalResponse() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(balancer.address())) {
            for (String method : List.of("GET", "HEAD", "GET")) {
                client.send(method + " /hints HTTP/1.1\r\nHost: a\r\n\r\n");
                HttpClientConnection.Response hints = client.read();
                assertEquals(103, hints.status());
                assertEquals("</style.css>; rel=preload", hints.header("Link"));
                assertEquals(102, client.read().status());
                assertEquals(103, client.read().status());
                HttpClientConnection.Response response = client.read(method.equals("HEAD"));
                assertEquals(200, response.status(), method);
                assertEquals(method.equals("HEAD") ? "" : "0 " + sha256(new byte[0]), response.text(), method);
            }
        }
    }

    @Test
    void anHttp10ClientGetsOnlyTheFinalResponse() throws IOException {
        try (HttpClientConnection client = new HttpClientConnection(balancer.address())) {
            HttpClientConnection.Response response = client.send("GET /hints HTTP/1.0\r\n\r\n").read();
            assertEquals(200, response.status(), "HTTP/1.0 has no interim responses (RFC 9110 section 15.2)");
        }
    }

    private static void serve(Socket connection) throws IOException {
        InputStream in = new BufferedInputStream(connection.getInputStream());
        OutputStream out = connection.getOutputStream();
        String line;
        while ((line = HttpWire.line(in)) != null) {
            List<HttpWire.Header> headers = HttpWire.headers(in);
            if ("100-continue".equalsIgnoreCase(HttpWire.header(headers, "Expect"))) {
                write(out, "HTTP/1.1 100 Continue\r\n\r\n");
            }
            if (line.contains(" /hints ")) {
                write(out, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n");
            }
            byte[] body = HttpWire.body(in, headers, false);
            byte[] answer = (body.length + " " + sha256(body)).getBytes(StandardCharsets.US_ASCII);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length + "\r\n\r\n");
            if (!line.startsWith("HEAD ")) {
                out.write(answer);
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
