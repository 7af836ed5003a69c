package io.fulcrum.dataplane.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * Netty's request decoder, which can be told to stop after a request that asks for an upgrade:
 * what the client sends after it may already speak the new protocol, so it stays as bytes in the
 * decoder until the server answers. On {@code 101} the bytes go to the relay when the decoder is
 * removed; on any other answer decoding resumes where it stopped ({@link #resume}).
 */
final class RequestDecoder extends HttpRequestDecoder {
    private boolean held;

    RequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    /** Decodes nothing more until {@link #resume}; what arrives is kept. */
    void hold() {
        held = true;
    }

    /** Decodes what was kept (its requests go down the pipeline now) and what comes next. */
    void resume(ChannelHandlerContext ctx) throws Exception {
        held = false;
        channelRead(ctx, ctx.alloc().buffer(0));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (!held) {
            super.decode(ctx, buffer, out);
        }
    }
}
