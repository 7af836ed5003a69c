package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * How a server's final response is passed on, and what it allows afterwards. The server
 * connection may carry another request when the response's end is known without closing
 * (Content-Length, chunked, or no body by its status or the HEAD method) and the server did not
 * say close. The client connection stays open on the same condition, when the client wanted it,
 * when its whole request was read, and when it can read the framing: an HTTP/1.0 client gets a
 * chunked body unchunked, ended by closing the connection.
 *
 * @param serverReusable the server connection may go back to the pool once the response ends
 * @param clientKeepAlive the client connection may carry the next request once the response ends
 */
record ResponseFraming(boolean serverReusable, boolean clientKeepAlive) {

    /** Decides, and rewrites {@code response}'s headers for the client accordingly. */
    static ResponseFraming of(HttpResponse response, boolean head, boolean clientHttp10, boolean clientWantsKeepAlive,
            boolean requestComplete) {
        int code = response.status().code();
        boolean bodyless = head || code == 204 || code == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean framed = bodyless || chunked || response.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean serverReusable = framed && HttpUtil.isKeepAlive(response);
        HeaderRewrite.response(response);
        boolean unchunk = clientHttp10 && chunked && !bodyless;
        boolean clientKeepAlive = clientWantsKeepAlive && framed && requestComplete && !unchunk;
        if (unchunk) {
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        if (!clientKeepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return new ResponseFraming(serverReusable, clientKeepAlive);
    }
}
