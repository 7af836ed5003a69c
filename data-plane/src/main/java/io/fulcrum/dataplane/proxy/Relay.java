package io.fulcrum.dataplane.proxy;

import io.fulcrum.dataplane.runtime.Transport;
import io.fulcrum.dataplane.runtime.Writability;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;

/**
 * Copies what one side of a connection reads to the other side. Reads stop while the other side
 * is not writable (its queue passed the buffer size) and resume when it drains, so a connection
 * never holds more than its buffer sizes. A FIN is passed on as a FIN (half-close). A direction
 * that streams switches to splice ({@link SpliceAuto}); its reads then arrive as spliced bytes
 * (a {@link FileRegion}) and are written the same way.
 *
 * <p>A buffer read while nothing waits for the other side is sent at once
 * ({@link Transport#sendNow}); only what the socket does not take goes through Netty's write
 * queue, flushed when the read batch ends.
 *
 * <p>Until the server is connected the client side only keeps what it is made to read (see
 * {@link ProxyConnection#hold}), and the handler of a server socket whose connect failed ignores
 * everything: {@link ProxyConnection#relays} tells which.
 */
final class Relay extends ChannelInboundHandlerAdapter {
    private final ProxyConnection connection;
    private final boolean fromClient;
    private final SpliceAuto splice = new SpliceAuto();
    /** Written to the peer through Netty in this read batch and not flushed yet. */
    private boolean queued;

    Relay(ProxyConnection connection, boolean fromClient) {
        this.connection = connection;
        this.fromClient = fromClient;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (fromClient) {
            connection.start();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!connection.relays(ctx.channel())) {
            connection.hold(ctx.channel(), message);
            return;
        }
        Channel peer = connection.peerOf(fromClient);
        if (message instanceof ByteBuf buffer) {
            connection.counted(fromClient, buffer.readableBytes());
            splice.read(buffer);
            if (!queued && sentNow(peer, buffer)) {
                return;
            }
        } else if (message instanceof FileRegion spliced) {
            connection.counted(fromClient, (int) spliced.count());
        }
        peer.write(message, peer.voidPromise());
        queued = true;
        if (!Writability.afterFlush(peer)) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (connection.relays(ctx.channel())) {
            Channel peer = connection.peerOf(fromClient);
            if (queued) {
                queued = false;
                peer.flush();
            }
            connection.active();
            if (splice.batchEnded() && connection.spliceInto(ctx.channel(), peer)) {
                connection.spliced(fromClient);
            }
        }
    }

    /** True if all of {@code buffer} was sent (or the peer failed); false if the rest takes Netty's path. */
    private boolean sentNow(Channel peer, ByteBuf buffer) {
        if (!connection.plainSocket(peer)) {
            return false;
        }
        try {
            if (Transport.sendNow(peer, buffer) < 0 || buffer.isReadable()) {
                return false;
            }
        } catch (IOException broken) {
            buffer.release();
            connection.failed(peer);
            return true;
        }
        buffer.release();
        return true;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection.relays(ctx.channel())) {
            Channel peer = connection.peerOf(fromClient);
            if (ctx.channel().isWritable() && !((DuplexChannel) peer).isInputShutdown()) {
                // a peer that sent its FIN has nothing more to read: asking epoll would only wake us for the EOF again
                peer.config().setAutoRead(true);
            }
            connection.active();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // nothing more to read: without this Netty re-arms read interest after every read batch
            ctx.channel().config().setAutoRead(false);
            connection.inputShutdown(ctx.channel(), fromClient);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.closed(ctx.channel(), fromClient);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.failed(ctx.channel());
    }
}
