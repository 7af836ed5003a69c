package io.fulcrum.dataplane.health;

import io.fulcrum.dataplane.tls.TlsHandshakeException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetSocketAddress;

/** Succeeds when a TCP connection is established within the timeout; closes it at once. */
public final class TcpCheck implements HealthCheck {
    private final Class<? extends Channel> channelClass;

    public TcpCheck(Class<? extends Channel> channelClass) {
        this.channelClass = channelClass;
    }

    @Override
    public Future<CheckResult> run(EventLoop loop, InetSocketAddress address, int timeoutMs) {
        Promise<CheckResult> result = loop.newPromise();
        long start = System.nanoTime();
        connect(loop, channelClass, address, timeoutMs, new ChannelInboundHandlerAdapter())
                .addListener((ChannelFuture connected) -> {
                    if (connected.isSuccess()) {
                        connected.channel().close();
                        long micros = (System.nanoTime() - start) / 1000;
                        result.trySuccess(CheckResult.ok("connected", micros));
                    } else {
                        result.trySuccess(CheckResult.failed(describe(connected.cause(), timeoutMs)));
                    }
                });
        return result;
    }

    static ChannelFuture connect(EventLoop loop, Class<? extends Channel> channelClass, InetSocketAddress address,
            int timeoutMs, io.netty.channel.ChannelHandler handler) {
        return new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
                .handler(handler)
                .connect(address);
    }

    /** A connect failure in the words an operator expects. */
    public static String describe(Throwable cause, int timeoutMs) {
        if (cause instanceof ConnectTimeoutException) {
            return "timeout after " + timeoutMs + " ms";
        }
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof TlsHandshakeException) {
            return message;
        }
        if (message.contains("Connection refused")) {
            return "connect refused";
        }
        if (cause instanceof ConnectException || cause instanceof java.io.IOException) {
            int colon = message.indexOf(": ");
            return "connect failed: " + (message.startsWith("finishConnect") && colon > 0 ? message.substring(colon + 2) : message);
        }
        return "connect failed: " + cause;
    }
}
