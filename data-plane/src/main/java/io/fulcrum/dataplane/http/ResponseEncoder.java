package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Netty's response encoder, told when the response answers a HEAD request: such a response may
 * carry {@code Transfer-Encoding: chunked} or a {@code Content-Length} but never a body, so nothing
 * (not even the last chunk) may be written after its headers. Netty's {@code HttpServerCodec}
 * tracks this with a queue of request methods that every response, interim 1xx ones included,
 * takes one from, which a forwarded {@code 100 Continue} would put out of step; so the frontend
 * sets {@link #head} before each response instead.
 */
final class ResponseEncoder extends HttpResponseEncoder {
    boolean head;

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return head || super.isContentAlwaysEmpty(msg);
    }
}
