package io.fulcrum.dataplane.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.HaproxyProcess;
import io.fulcrum.dataplane.testing.HttpBackend;
import io.fulcrum.dataplane.testing.HttpClientConnection;
import io.fulcrum.dataplane.testing.HttpLoadBalancer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw requests through Fulcrum and through HAProxy 2.6 in {@code mode http}, each in front
 * of its own copy of the same server. Fulcrum may refuse more than HAProxy (it is stricter about
 * framing, see docs/http.md), but never: leave a request without any answer where HAProxy answers
 * 2xx, answer fewer of a client's requests than HAProxy while answering them all 2xx, forward more
 * requests than the client sent, or forward a request HAProxy refuses.
 */
@Timeout(180)
class HttpConformanceTest {
    /** A raw request (or several), how many requests the client meant, whether they are HEAD, whether sent a byte at a time. */
    record Case(String name, String bytes, int requests, boolean head, boolean slow) {
        static Case of(String name, String bytes, int requests) {
            return new Case(name, bytes, requests, false, false);
        }
    }

    /** The statuses answered (in order) and the requests the server got. */
    record Outcome(List<Integer> statuses, int forwarded) {
        int successes() {
            return (int) statuses.stream().filter(s -> s / 100 == 2).count();
        }

        boolean refused() {
            return forwarded == 0 && !statuses.isEmpty() && statuses.get(0) >= 400;
        }

        @Override
        public String toString() {
            return (statuses.isEmpty() ? "no answer" : statuses.toString()) + " fwd " + forwarded;
        }
    }

    private static final String H = "Host: a\r\n";

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                Case.of("plain GET", "GET / HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("pipelining", "GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\n" + H + "\r\nPOST /3 HTTP/1.1\r\n" + H
                        + "Content-Length: 3\r\n\r\nabc", 3),
                Case.of("HTTP/1.0 keep-alive", "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                        + "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 2),
                Case.of("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", 1),
                Case.of("chunked with trailers", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n", 1),
                Case.of("absolute form", "GET http://a/abs?q=1 HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", 1),
                new Case("HEAD", "HEAD / HTTP/1.1\r\n" + H + "\r\n", 1, true, false),
                Case.of("204 response", "GET /204 HTTP/1.1\r\n" + H + "\r\nGET /after HTTP/1.1\r\n" + H + "\r\n", 2),
                Case.of("304 response", "GET /304 HTTP/1.1\r\n" + H + "\r\nGET /after HTTP/1.1\r\n" + H + "\r\n", 2),
                Case.of("Expect: 100-continue", "POST / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nok", 1),
                Case.of("Content-Length with chunked", "POST / HTTP/1.1\r\n" + H + "Content-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("two different lengths", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 5\r\n\r\nabcde", 1),
                Case.of("two equal lengths", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 1),
                Case.of("Content-Length not a number", "POST / HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\nabc", 1),
                Case.of("Content-Length overflow", "POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999\r\n\r\nabc", 1),
                Case.of("Transfer-Encoding xchunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("Transfer-Encoding space before colon", "POST / HTTP/1.1\r\n" + H
                        + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("Transfer-Encoding twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n"
                        + "Transfer-Encoding: identity\r\n\r\n0\r\n\r\n", 1),
                Case.of("Transfer-Encoding chunked, chunked", "POST / HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("Transfer-Encoding tab", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1),
                Case.of("bad chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 1),
                Case.of("chunk size overflow", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + "ffffffffffffffffff\r\nab\r\n0\r\n\r\n", 1),
                Case.of("obs-fold", "GET / HTTP/1.1\r\n" + H + "X-Folded: a\r\n b\r\n\r\n", 1),
                Case.of("bare LF", "GET / HTTP/1.1\n" + "Host: a\n\n", 1),
                Case.of("bare CR in request line", "GET /\r HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("two spaces in request line", "GET  / HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("HTTP/0.9", "GET /\r\n\r\n", 1),
                Case.of("HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", 1),
                Case.of("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 1),
                Case.of("two Hosts", "GET / HTTP/1.1\r\n" + H + "Host: b\r\n\r\n", 1),
                Case.of("space in header name", "GET / HTTP/1.1\r\n" + H + "Bad Name: x\r\n\r\n", 1),
                Case.of("NUL in header value", "GET / HTTP/1.1\r\n" + H + "X-Nul: a\u0000b\r\n\r\n", 1),
                Case.of("header without colon", "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", 1),
                Case.of("request line of 10 KB", "GET /" + "x".repeat(10_000) + " HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("request line of 40 KB", "GET /" + "x".repeat(40_000) + " HTTP/1.1\r\n" + H + "\r\n", 1),
                Case.of("header of 12 KB", "GET / HTTP/1.1\r\n" + H + "X-Big: " + "y".repeat(12_000) + "\r\n\r\n", 1),
                Case.of("headers of 40 KB", "GET / HTTP/1.1\r\n" + H + "X-Big: " + "y".repeat(40_000) + "\r\n\r\n", 1),
                Case.of("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 1),
                Case.of("upgrade refused by the server", "GET / HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                        + "GET /after HTTP/1.1\r\n" + H + "\r\n", 2),
                Case.of("WebSocket upgrade without a key", "GET / HTTP/1.1\r\n" + H + "Connection: Upgrade\r\n"
                        + "Upgrade: websocket\r\n\r\n", 1),
                Case.of("smuggled request in a body", "POST / HTTP/1.1\r\n" + H + "Content-Length: 30\r\n\r\n"
                        + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n".substring(0, 30), 1),
                Case.of("Connection names Content-Length", "POST / HTTP/1.1\r\n" + H + "Connection: Content-Length\r\n"
                        + "Content-Length: 3\r\n\r\nabc", 1)));
        cases.add(new Case("slow client", "GET /slow HTTP/1.1\r\n" + H + "\r\n", 1, false, true));
        return cases;
    }

    @Test
    void fulcrumAnswersWhereHaproxyAnswersAndForwardsNothingHaproxyRefuses(@TempDir Path dir) throws IOException {
        HaproxyProcess.require();
        int haproxyPort = FreePorts.next();
        try (HttpBackend behindFulcrum = HttpBackend.start("f", HttpConformanceTest::answer);
                HttpBackend behindHaproxy = HttpBackend.start("h", HttpConformanceTest::answer);
                HttpLoadBalancer fulcrum = HttpLoadBalancer.start(behindFulcrum);
                HaproxyProcess haproxy = HaproxyProcess.start(dir, """
                        defaults
                            mode http
                            option http-keep-alive
                            timeout connect 2s
                            timeout client 5s
                            timeout server 5s
                            timeout http-request 5s
                        frontend web
                            bind 127.0.0.1:%d
                            default_backend servers
                        backend servers
                            server s1 %s
                        """.formatted(haproxyPort, behindHaproxy.address()), haproxyPort)) {
            List<String> problems = new ArrayList<>();
            StringBuilder table = new StringBuilder("case | HAProxy | Fulcrum\n");
            for (Case request : cases()) {
                Outcome viaHaproxy = run(new InetSocketAddress("127.0.0.1", haproxyPort), behindHaproxy, request);
                Outcome viaFulcrum = run(fulcrum.address(), behindFulcrum, request);
                table.append(request.name()).append(" | ").append(viaHaproxy).append(" | ").append(viaFulcrum).append('\n');
                if (viaHaproxy.successes() > 0 && viaFulcrum.statuses().isEmpty()) {
                    problems.add(request.name() + ": no answer from Fulcrum, HAProxy answered " + viaHaproxy);
                }
                if (viaFulcrum.successes() == viaFulcrum.statuses().size()
                        && viaFulcrum.statuses().size() < viaHaproxy.successes()) {
                    problems.add(request.name() + ": Fulcrum answered fewer requests: " + viaFulcrum + " against " + viaHaproxy);
                }
                if (viaFulcrum.forwarded() > request.requests()) {
                    problems.add(request.name() + ": the server got " + viaFulcrum.forwarded() + " requests of "
                            + request.requests());
                }
                if (viaHaproxy.refused() && viaFulcrum.forwarded() > 0) {
                    problems.add(request.name() + ": HAProxy refused it, Fulcrum forwarded it: " + viaFulcrum);
                }
            }
            assertTrue(problems.isEmpty(), problems + "\n" + table + haproxy.output());
        }
    }

    private static Outcome run(InetSocketAddress proxy, HttpBackend server, Case request) throws IOException {
        int before = server.requests();
        List<Integer> statuses = new ArrayList<>();
        try (HttpClientConnection client = new HttpClientConnection(proxy)) {
            client.socket().setSoTimeout(1500);
            byte[] bytes = request.bytes().getBytes(StandardCharsets.ISO_8859_1);
            if (request.slow()) {
                for (byte b : bytes) {
                    client.send(new byte[] {b});
                    LockSupport.parkNanos(5_000_000);
                }
            } else {
                client.send(bytes);
            }
            while (statuses.size() < request.requests()) {
                HttpClientConnection.Response response = client.read(request.head());
                if (response == null) {
                    break;
                }
                if (response.status() >= 200) {
                    statuses.add(response.status());
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed, reset or timed out: what was answered so far is the outcome
        }
        // the server counts a request before it answers, and both proxies answer after the server or instead of it
        return new Outcome(statuses, server.requests() - before);
    }

    private static HttpBackend.Response answer(HttpBackend.Request request, int index) {
        return switch (request.uri()) {
            case "/204" -> new HttpBackend.Response(204, List.of(), new byte[0], 0, false, false, false);
            case "/304" -> new HttpBackend.Response(304, List.of(), new byte[0], 0, false, false, false);
            case "/echo" -> new HttpBackend.Response(200, List.of(), request.body(), 0, false, false, false);
            default -> HttpBackend.Response.ok("ok");
        };
    }
}
