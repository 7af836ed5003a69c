package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The header changes of a proxy (RFC 9110 section 7.6.1). Hop-by-hop fields are removed both ways:
 * {@code Connection} and every field it lists, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code TE} and {@code Upgrade}; {@code Transfer-Encoding} is the framing, which the codec of each
 * hop writes again. A field listed in {@code Connection} is never removed when it is {@code Host},
 * {@code Content-Length} or {@code Transfer-Encoding}: dropping those would change how the server
 * reads the body, the classic way to smuggle a request. Requests also get {@code X-Forwarded-For}
 * (appended to), {@code X-Forwarded-Proto: http} and {@code X-Real-IP}; {@code Host} is kept.
 * Both directions speak HTTP/1.1 on Fulcrum's side.
 */
final class HeaderRewrite {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HeaderRewrite() {
    }

    /** Turns a client's request into the one sent to the server. */
    static void request(HttpRequest request, RequestTarget target, String clientIp) {
        HttpHeaders headers = request.headers();
        removeHopByHop(headers);
        if (target.originForm() != null) {
            request.setUri(target.originForm());
            headers.set(HttpHeaderNames.HOST, target.authority());
        }
        headers.set(X_FORWARDED_FOR, !headers.contains(X_FORWARDED_FOR) ? clientIp
                : String.join(", ", headers.getAll(X_FORWARDED_FOR)) + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, HTTP);
        headers.set(X_REAL_IP, clientIp);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Turns a server's response into the one sent to the client (framing is decided by the caller). */
    static void response(HttpMessage response) {
        removeHopByHop(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private static void removeHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(value)
                        || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(value)) {
                    continue; // the usual values name no field
                }
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (!name.isEmpty() && !framing(name)) {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.UPGRADE);
    }

    private static boolean framing(String name) {
        return HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name);
    }
}
