package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's response decoder, told by the exchange whether the request it answers was a HEAD (whose
 * final response has no body whatever its headers say). Netty's {@code HttpClientCodec} tracks
 * this with a queue of request methods from which every response, interim 1xx ones included,
 * takes one: after a {@code 103 Early Hints} the final response would be paired with no request,
 * and the response to a HEAD read as having a body. Interim responses never have a body and
 * leave {@link #head} as it is, so any number of them may precede the final one. After a
 * {@code 101} the decoder passes what follows on as bytes, until it is removed.
 */
final class ResponseDecoder extends HttpResponseDecoder {
    boolean head;

    ResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        int code = ((HttpResponse) msg).status().code();
        // a 101 never has a body (Netty reads one for the long-gone WebSocket draft 76)
        return code == 101 || (head && code >= 200) || super.isContentAlwaysEmpty(msg);
    }
}
