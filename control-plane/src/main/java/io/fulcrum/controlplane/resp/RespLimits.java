package io.fulcrum.controlplane.resp;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds what one RESP command may make the member hold before it is run: at most
 * {@value #MAX_ARGUMENTS} arguments and {@value #MAX_BULK_BYTES} bytes per argument (Netty's
 * aggregators would otherwise size a list by the client's array header and buffer up to 512 MB).
 * A command over a limit, or bytes that do not decode, get one {@code -ERR} line naming the
 * limit, and the connection closes: the stream cannot be resynchronized.
 */
final class RespLimits extends ChannelInboundHandlerAdapter {
    static final int MAX_ARGUMENTS = 4096;
    static final int MAX_BULK_BYTES = 1024 * 1024;

    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg); // the rest of a refused stream
            return;
        }
        String refused = null;
        if (msg instanceof ArrayHeaderRedisMessage array && array.length() > MAX_ARGUMENTS) {
            refused = "a command of " + array.length() + " arguments (at most " + MAX_ARGUMENTS + ")";
        } else if (msg instanceof BulkStringHeaderRedisMessage bulk && bulk.bulkStringLength() > MAX_BULK_BYTES) {
            refused = "an argument of " + bulk.bulkStringLength() + " bytes (at most " + MAX_BULK_BYTES + ")";
        }
        if (refused == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        closing = true;
        close(ctx, "ERR protocol error: " + refused);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closing = true;
        protocolError(ctx, cause);
    }

    /** Bytes that do not decode (here or in a handler after this one): one error line, then the connection closes. */
    static void protocolError(ChannelHandlerContext ctx, Throwable cause) {
        close(ctx, "ERR protocol error: " + String.valueOf(cause.getMessage()).replace('\r', ' ').replace('\n', ' '));
    }

    private static void close(ChannelHandlerContext ctx, String error) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new ErrorRedisMessage(error)).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.channel().config().setAutoRead(false);
    }
}
