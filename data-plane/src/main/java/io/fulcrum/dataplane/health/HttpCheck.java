package io.fulcrum.dataplane.health;

import io.fulcrum.config.schema.StatusRanges;
import io.fulcrum.dataplane.tls.Origination;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sends one HTTP/1.1 request ({@code Connection: close}) and succeeds when the response status is
 * one of the expected ones; connect, TLS handshake (a group with tls), request and response headers
 * all within the timeout.
 */
public final class HttpCheck implements HealthCheck {
    private final Class<? extends Channel> channelClass;
    private final HttpMethod method;
    private final String uri;
    private final String host;
    private final StatusRanges expected;
    private final Origination tls;

    /**
     * @param host the Host header; null for the server's own HOST:PORT
     * @param tls  how the check speaks TLS to the server (the group's, verification included); null: plain HTTP
     */
    public HttpCheck(Class<? extends Channel> channelClass, String method, String uri, String host, StatusRanges expected,
            Origination tls) {
        this.tls = tls;
        this.channelClass = channelClass;
        this.method = HttpMethod.valueOf(method);
        this.uri = uri;
        this.host = host;
        this.expected = expected;
    }

    @Override
    public Future<CheckResult> run(EventLoop loop, InetSocketAddress address, int timeoutMs) {
        Promise<CheckResult> result = loop.newPromise();
        long start = System.nanoTime();
        ChannelFuture connect = TcpCheck.connect(loop, channelClass, address, timeoutMs, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new ResponseHandler(result, start));
            }
        });
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (result.trySuccess(CheckResult.failed("timeout after " + timeoutMs + " ms"))) {
                connect.channel().close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.addListener(done -> timer.cancel(false));
        connect.addListener((ChannelFuture connected) -> {
            if (!connected.isSuccess()) {
                result.trySuccess(CheckResult.failed(TcpCheck.describe(connected.cause(), timeoutMs)));
            } else if (tls == null) {
                connected.channel().writeAndFlush(request(address));
            } else {
                // the handshake's own failure is the result (the handler's would say less)
                tls.handshake(connected.channel(), null, address, timeoutMs).addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        connected.channel().writeAndFlush(request(address));
                    } else {
                        result.trySuccess(CheckResult.failed(handshake.cause().getMessage()));
                        connected.channel().close();
                    }
                });
            }
        });
        return result;
    }

    private FullHttpRequest request(InetSocketAddress address) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        String hostHeader = host != null ? host : hostPort(address);
        request.headers().set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "fulcrum-health-check");
        return request;
    }

    private static String hostPort(InetSocketAddress address) {
        String hostString = address.getHostString();
        return (hostString.indexOf(':') >= 0 ? "[" + hostString + "]" : hostString) + ":" + address.getPort();
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final Promise<CheckResult> result;
        private final long start;

        ResponseHandler(Promise<CheckResult> result, long start) {
            this.result = result;
            this.start = start;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpResponse response) {
                int code = response.status().code();
                long micros = (System.nanoTime() - start) / 1000;
                result.trySuccess(expected.matches(code) ? CheckResult.ok("http status " + code, micros)
                        : CheckResult.failed("http status " + code));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.trySuccess(CheckResult.failed("connection closed before a response"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.trySuccess(CheckResult.failed("http error: " + cause.getMessage()));
            ctx.close();
        }
    }
}
