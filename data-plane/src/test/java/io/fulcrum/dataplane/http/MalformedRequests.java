package io.fulcrum.dataplane.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generates requests that are malformed beyond doubt, each in one of a few ways: the request line
 * (method, target, version, line endings), the header fields (names, values, Host, sizes), the
 * body framing (Content-Length, Transfer-Encoding) and the chunked body (sizes, delimiters,
 * trailers). Everything around the defect is a plausible valid request, so the defect alone must
 * make the proxy refuse it. Deterministic for a given {@link Random}.
 *
 * <p>Not generated: junk after a chunk size without a {@code ;} ({@code 3\rabc}, {@code 3 xyz}),
 * which Netty's decoder reads as the size alone (see docs/http.md, "Limits of the checks").
 */
final class MalformedRequests {
    /** One generated request and what is wrong with it. */
    record Case(String defect, byte[] bytes) {
        @Override
        public String toString() {
            return defect + ": " + new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH");
    private static final String BAD_TOKEN_CHARS = "()<>@,;:\\\"/[]?={}\u0001\u007f\u00e9";
    /** A colon inside a name only splits it into a shorter name and a value: valid. */
    private static final String BAD_NAME_CHARS = " ()<>@,;\\\"/[]?={}\u0001\u007f\u00e9";
    private static final List<String> BAD_VERSIONS = List.of("HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3", "HTTX/1.1",
            "HTTP/1.1.1", "HTTP/11", "HTTP/1.x", "HTTP/", "1.1", "HTTP/1.1 extra", "HTTP/-1.1");
    private static final List<String> BAD_TARGETS = List.of("abc", "ftp://x/", "http://", "http://@evil/", "http:/x",
            "/a\u0001b", "/caf\u00e9", "/a\u007fb", "*", "a/b");
    private static final List<String> BAD_LENGTHS = List.of("abc", "-1", "+5", "0x10", "1 2", "5,6", "99999999999999999999",
            "", "1.5", "5e2");
    private static final List<String> BAD_CODINGS = List.of("gzip", "chunked, gzip", "gzip, chunked", "identity",
            "xchunked", "chunked;q=1", "deflate");
    private static final List<String> BAD_HOSTS = List.of("a b", "a@b", "a:b:c", "a:123456", "a/b", "[::1", "a:x",
            "", "\u00e9.com", "a\tb");
    private static final List<String> BAD_CHUNKS = List.of("zz\r\nab\r\n0\r\n\r\n", "-3\r\nabc\r\n0\r\n\r\n",
            "ffffffffffffffffff\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "3\r\nabc0\r\n\r\n",
            "3\r\nabc\n0\r\n\r\n", "0x3\r\nabc\r\n0\r\n\r\n", "3\r\nabc\r\n0\r\nBad Trailer\r\n\r\n",
            "g\r\n\r\n", "3\r\nabc\r\n\u0001\r\n\r\n", "\r\n3\r\nabc\r\n0\r\n\r\n", "3;a\u0001b\r\nabc\r\n0\r\n\r\n");

    private final Random random;

    MalformedRequests(Random random) {
        this.random = random;
    }

    Case next() {
        return switch (random.nextInt(4)) {
            case 0 -> requestLine();
            case 1 -> header();
            case 2 -> framing();
            default -> chunked();
        };
    }

    private Case requestLine() {
        String method = pick(METHODS);
        String path = path();
        return switch (random.nextInt(5)) {
            case 0 -> {
                int at = 1 + random.nextInt(method.length());
                String bad = method.substring(0, at) + pickChar(BAD_TOKEN_CHARS) + method.substring(at);
                yield build("method " + bad, bad + " " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            case 1 -> build("version", method + " " + path + " " + pick(BAD_VERSIONS) + "\r\nHost: a\r\n\r\n");
            case 2 -> {
                String target = pick(BAD_TARGETS);
                String notOptions = target.equals("*") && method.equals("OPTIONS") ? "GET" : method;
                yield build("target", notOptions + " " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            case 3 -> build("bare LF", method + " " + path + " HTTP/1.1\nHost: a\n\n");
            default -> build("bare CR", method + " " + path + "\r HTTP/1.1\r\nHost: a\r\n\r\n");
        };
    }

    private Case header() {
        String start = pick(METHODS) + " " + path() + " HTTP/1.1\r\n";
        return switch (random.nextInt(7)) {
            case 0 -> {
                String name = "X-" + word();
                int at = 1 + random.nextInt(name.length() - 1);
                yield build("header name", start + "Host: a\r\n" + name.substring(0, at) + pickChar(BAD_NAME_CHARS)
                        + name.substring(at) + ": v\r\n\r\n");
            }
            case 1 -> build("no colon", start + "Host: a\r\nX-" + word() + "\r\n\r\n");
            case 2 -> build("header value", start + "Host: a\r\nX-A: " + word() + pickChar("\u0000\u0001\r\u000b\u000c\u007f")
                    + word() + "\r\n\r\n");
            case 3 -> build("Host", start + "Host: " + pick(BAD_HOSTS) + "\r\n\r\n");
            case 4 -> build("two Hosts", start + "Host: a\r\nHost: " + word() + "\r\n\r\n");
            case 5 -> build("no Host", start + "X-A: b\r\n\r\n");
            default -> build("header too large", start + "Host: a\r\nX-Big: " + "x".repeat(17000 + random.nextInt(5000))
                    + "\r\n\r\n");
        };
    }

    private Case framing() {
        String start = "POST " + path() + " HTTP/1.1\r\nHost: a\r\n";
        return switch (random.nextInt(5)) {
            case 0 -> build("Content-Length", start + "Content-Length: " + pick(BAD_LENGTHS) + "\r\n\r\nhello");
            case 1 -> build("two lengths", start + "Content-Length: 5\r\nContent-Length: " + (6 + random.nextInt(5))
                    + "\r\n\r\nhello world");
            case 2 -> build("length and chunked", start + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
            case 3 -> build("coding", start + "Transfer-Encoding: " + pick(BAD_CODINGS) + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            default -> build("chunked in 1.0", "POST " + path() + " HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n");
        };
    }

    private Case chunked() {
        String good = random.nextBoolean() ? "" : "4\r\n" + word().substring(0, 1).repeat(4) + "\r\n";
        return build("chunk", "POST " + path() + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + good
                + pick(BAD_CHUNKS));
    }

    private String path() {
        return "/" + word() + (random.nextBoolean() ? "?q=" + word() : "");
    }

    private String word() {
        StringBuilder word = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private char pickChar(String chars) {
        return chars.charAt(random.nextInt(chars.length()));
    }

    private static Case build(String defect, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            bytes.write(text.charAt(i));
        }
        return new Case(defect, bytes.toByteArray());
    }
}
