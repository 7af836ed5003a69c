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
 * leave {@link #head} as it is, so any number of them may precede the final one.
 */
final class ResponseDecoder extends HttpResponseDecoder {
    boolean head;

    ResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        int code = ((HttpResponse) msg).status().code();
        return (head && code >= 200) || super.isContentAlwaysEmpty(msg);
    }
}
