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
 * Both directions speak HTTP/1.1 on Fulcrum's side. A request that asks for an upgrade keeps
 * {@code Upgrade} and its {@code Connection} options, and so does the {@code 101} that accepts it.
 */
final class HeaderRewrite {
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HeaderRewrite() {
    }

    /**
     * True when {@code request} asks to switch protocols (RFC 9110 section 7.8): HTTP/1.1, an
     * {@code Upgrade} field and {@code upgrade} among the {@code Connection} options. Then
     * {@code Upgrade} and the {@code Connection} options go to the server with it.
     */
    static boolean upgradeRequested(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return request.protocolVersion() == HttpVersion.HTTP_1_1 && headers.contains(HttpHeaderNames.UPGRADE)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Turns a client's request into the one sent to the server. */
    static void request(HttpRequest request, RequestTarget target, String clientIp, boolean upgrade) {
        HttpHeaders headers = request.headers();
        removeHopByHop(headers, upgrade);
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

    /**
     * Turns a server's response into the one sent to the client (framing is decided by the
     * caller); {@code upgrade}: a {@code 101} that keeps its {@code Upgrade} and {@code Connection}.
     */
    static void response(HttpMessage response, boolean upgrade) {
        removeHopByHop(response.headers(), upgrade);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    static void response(HttpMessage response) {
        response(response, false);
    }

    /** {@code upgrade}: the fields {@code Connection} names, and {@code Upgrade}, stay (for the next hop's switch). */
    private static void removeHopByHop(HttpHeaders headers, boolean upgrade) {
        String kept = null;
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                for (String token : value.split(",")) {
                    String name = token.trim();
                    if (name.isEmpty() || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(name)
                            || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(name) || framing(name)) {
                        continue; // the usual values name no field; the framing is never dropped
                    }
                    if (upgrade) {
                        kept = kept == null ? name : kept + ", " + name;
                    } else {
                        headers.remove(name);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.TE);
        if (upgrade && kept != null) {
            headers.set(HttpHeaderNames.CONNECTION, kept);
        } else {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    private static boolean framing(String name) {
        return HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name);
    }
}
