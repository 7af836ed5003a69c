package io.fulcrum.dataplane.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the PROXY header (v1 or v2, told apart by its first bytes) a trusted load balancer sends
 * before anything else, then hands the connection on as if it had just been accepted from the
 * announced client. A connection that sends something else, or nothing within the timeout, is
 * closed. {@code LOCAL} (v2: the balancer's own health check) and {@code UNKNOWN} keep the
 * socket's addresses.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    /** A trusted balancer sends its header at once; a slow one is not waited for long. */
    public static final long MAX_WAIT_MS = 10_000;

    private final long timeoutMs;
    private final Consumer<Channel> accepted;
    private ScheduledFuture<?> timeout;

    private ProxyHeaderReader(long timeoutMs, Consumer<Channel> accepted) {
        this.timeoutMs = timeoutMs;
        this.accepted = accepted;
    }

    /**
     * Sets {@code child} (accepted, not registered yet) up to read a header first; then, on its
     * event loop, {@code accepted} runs with {@link ClientEndpoints#of} giving the announced
     * addresses. {@code accepted} adds its handlers to the pipeline; they see {@code channelActive}
     * once it returns, and then what the client sent after the header.
     */
    public static void expect(Channel child, long idleTimeoutMs, Consumer<Channel> accepted) {
        child.pipeline().addLast(new HAProxyMessageDecoder(), new ProxyHeaderReader(Math.min(idleTimeoutMs, MAX_WAIT_MS),
                accepted));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // not passed on: the handlers that serve the connection come with the header
        timeout = ctx.executor().schedule(() -> ctx.channel().close(), timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof HAProxyMessage header)) {
            ReferenceCountUtil.release(message);
            ctx.close();
            return;
        }
        timeout.cancel(false);
        try {
            ClientEndpoints announced = announced(header);
            if (announced != null) {
                ClientEndpoints.announce(ctx.channel(), announced);
            }
        } finally {
            header.release();
        }
        accepted.accept(ctx.channel());
        ctx.fireChannelActive();
        // the decoder removes itself after this: what came after the header goes to the new handlers
        ctx.pipeline().remove(this);
    }

    private static ClientEndpoints announced(HAProxyMessage header) {
        if (header.command() == HAProxyCommand.LOCAL || (header.proxiedProtocol() != HAProxyProxiedProtocol.TCP4
                && header.proxiedProtocol() != HAProxyProxiedProtocol.TCP6)) {
            return null;
        }
        return new ClientEndpoints(address(header.sourceAddress(), header.sourcePort()),
                address(header.destinationAddress(), header.destinationPort()));
    }

    /** The decoder checked the literal; no name is ever looked up. */
    private static InetSocketAddress address(String literal, int port) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(literal);
        return new InetSocketAddress(address, port);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // not a PROXY header (HAProxyProtocolException), or the socket failed
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
