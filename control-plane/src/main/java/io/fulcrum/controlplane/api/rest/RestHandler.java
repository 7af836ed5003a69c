package io.fulcrum.controlplane.api.rest;

import io.fulcrum.controlplane.api.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each aggregated HTTP request into a {@link RestCall} of its route, authenticates it (unless
 * the route is open) and writes the route's answer, or the failure's, when its future completes.
 * Shared by every connection.
 */
@ChannelHandler.Sharable
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RestHandler.class);

    private final RestRoutes routes;
    private final RestAuthenticator auth;
    private final HttpFailures failures;

    RestHandler(RestRoutes routes, RestAuthenticator auth, HttpFailures failures) {
        this.routes = routes;
        this.auth = auth;
        this.failures = failures;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<RestResponse> answer;
        try {
            answer = dispatch(ctx, request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            RestResponse out = failure == null ? response : failures.answer(failure);
            if (out != RestResponse.STREAMING) {
                write(ctx, out, keepAlive);
            }
        });
    }

    private CompletableFuture<RestResponse> dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            throw RestException.badRequest("malformed HTTP request: " + request.decoderResult().cause().getMessage());
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        RestRoutes.Match match = routes.find(request.method(), uri.path());
        Principal principal = match.route().open() ? null : auth.authenticate(request.headers());
        RestCall call = new RestCall(request.method(), uri.path(), match.params(), uri.parameters(),
                request.headers().copy(), request.content().toString(StandardCharsets.UTF_8), principal, ctx);
        return match.route().handler().handle(call);
    }

    private static void write(ChannelHandlerContext ctx, RestResponse out, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, out.status(),
                Unpooled.wrappedBuffer(out.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, out.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, out.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        out.headers().forEach(response.headers()::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("REST connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
