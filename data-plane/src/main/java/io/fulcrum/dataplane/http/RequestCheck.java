package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Decides whether a request may be forwarded at all. Netty's decoder already rejects what it
 * cannot parse (bad request lines, header syntax, over-long lines and header blocks, malformed
 * Content-Length, Content-Length with Transfer-Encoding in HTTP/1.1, Transfer-Encoding in
 * HTTP/1.0); on top of that Fulcrum refuses what would make the request mean something else to
 * the server than to Fulcrum: a version other than 1.0/1.1, a request line with anything but
 * single spaces between its three parts (Netty splits on any whitespace, a bare CR included),
 * several or missing Host headers,
 * several Content-Length headers, any Transfer-Encoding but {@code chunked}, a request target that
 * is not origin- or absolute-form or holds bytes outside printable ASCII. Request smuggling lives
 * in exactly these gaps.
 */
final class RequestCheck {
    /** Why a request is answered by Fulcrum itself, and with which status. */
    record Rejection(HttpResponseStatus status, String reason) {
    }

    private RequestCheck() {
    }

    /** Null when {@code request} may be forwarded. */
    static Rejection check(HttpRequest request, long maxBodySize) {
        if (request.decoderResult().isFailure()) {
            return bad("malformed request: " + request.decoderResult().cause().getMessage());
        }
        HttpVersion version = request.protocolVersion();
        if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
            return bad("unsupported version " + version.text());
        }
        if (request.decoderResult() instanceof HttpMessageDecoderResult line && line.initialLineLength()
                != request.method().name().length() + request.uri().length() + version.text().length() + 2) {
            return bad("request line with extra whitespace or control bytes");
        }
        HttpHeaders headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && version == HttpVersion.HTTP_1_1)) {
            return bad(hosts.isEmpty() ? "no Host header" : "several Host headers");
        }
        List<String> lengths = all(headers, HttpHeaderNames.CONTENT_LENGTH);
        List<String> codings = all(headers, HttpHeaderNames.TRANSFER_ENCODING);
        if (lengths.size() > 1 || (!lengths.isEmpty() && !codings.isEmpty())) {
            return bad("ambiguous body length");
        }
        long length = lengths.isEmpty() ? -1 : parseLength(lengths.get(0));
        if (!lengths.isEmpty() && length < 0) {
            return bad("Content-Length is not a number of at most 18 digits");
        }
        if (codings.size() > 1 || (codings.size() == 1 && !codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            return bad("unsupported transfer coding");
        }
        if (!printableAscii(request.uri())) {
            return bad("bad request target");
        }
        if (HeaderRewrite.upgradeRequested(request)
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && !headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            // RFC 6455 section 4.1; HAProxy refuses it too: a server could take it for a handshake of another draft
            return bad("WebSocket upgrade without Sec-WebSocket-Key");
        }
        if (request.method() == HttpMethod.CONNECT) {
            return new Rejection(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is not proxied");
        }
        if (maxBodySize > 0 && length > maxBodySize) {
            return new Rejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body over " + maxBodySize + " bytes");
        }
        return null;
    }

    /** The request's Content-Length; -1 when it has none or it is malformed (then {@link #check} refuses it). */
    static long declaredLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return value == null ? -1 : parseLength(value);
    }

    /**
     * {@code 1*DIGIT} (RFC 9110 section 8.6), surrounding whitespace allowed, at most 18 digits so
     * that it never overflows a long; -1 for anything else ({@code +5}, {@code 0x10}, {@code 5,5}).
     */
    private static long parseLength(String value) {
        String digits = value.trim();
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }

    /** Most requests have neither header: a lookup is cheaper than the list getAll builds. */
    private static List<String> all(HttpHeaders headers, CharSequence name) {
        return headers.contains(name) ? headers.getAll(name) : List.of();
    }

    static Rejection bad(String reason) {
        return new Rejection(HttpResponseStatus.BAD_REQUEST, reason);
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return !text.isEmpty();
    }
}
