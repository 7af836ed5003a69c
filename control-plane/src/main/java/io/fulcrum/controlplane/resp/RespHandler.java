package io.fulcrum.controlplane.resp;

import io.fulcrum.controlplane.api.Errors;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One RESP connection: AUTH first, then each command's reply in the order the commands came
 * (pipelined commands are chained). {@code WITH-ID ID COMMAND...} runs COMMAND with request id ID,
 * so that a client may retry a write whose outcome it does not know: the change applies at most
 * once (a RESP command has no other place for a request id).
 */
final class RespHandler extends SimpleChannelInboundHandler<RedisMessage> {
    private final String password;
    static final String WITH_ID = "with-id";
    private final Function<ExecRequest, CompletableFuture<ExecResponse>> exec;
    private final Errors errors;
    private boolean authenticated;
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    RespHandler(String password, Function<ExecRequest, CompletableFuture<ExecResponse>> exec, Errors errors) {
        this.password = password;
        this.exec = exec;
        this.errors = errors;
        this.authenticated = password == null;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RedisMessage message) {
        List<String> args = arguments(message);
        if (args.isEmpty()) {
            return;
        }
        String command = args.get(0).toLowerCase(Locale.ROOT);
        switch (command) {
            case "auth" -> reply(ctx, authenticate(args));
            case "ping" -> reply(ctx, new SimpleStringRedisMessage(args.size() > 1 ? args.get(1) : "PONG"));
            case "quit" -> ctx.writeAndFlush(new SimpleStringRedisMessage("OK")).addListener(ChannelFutureListener.CLOSE);
            case "command" -> reply(ctx, new ArrayRedisMessage(List.of()));
            default -> {
                if (!authenticated) {
                    reply(ctx, new ErrorRedisMessage("NOAUTH Authentication required."));
                } else if (command.equals(WITH_ID)) {
                    if (args.size() < 3) {
                        reply(ctx, new ErrorRedisMessage("ERR WITH-ID needs a request id and a command: WITH-ID ID COMMAND..."));
                    } else {
                        run(ctx, args.get(1), String.join(" ", quoted(args.subList(2, args.size()))));
                    }
                } else {
                    run(ctx, "", String.join(" ", quoted(args)));
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RespLimits.protocolError(ctx, cause);
    }

    private RedisMessage authenticate(List<String> args) {
        if (password == null) {
            return new ErrorRedisMessage("ERR AUTH called without any password configured");
        }
        String given = args.get(args.size() - 1);
        boolean ok = args.size() >= 2 && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        authenticated = ok;
        return ok ? new SimpleStringRedisMessage("OK") : new ErrorRedisMessage("WRONGPASS invalid password");
    }

    private void run(ChannelHandlerContext ctx, String requestId, String text) {
        ExecRequest request = ExecRequest.newBuilder().setText(text).setRequestId(requestId).build();
        previous = previous.thenCompose(ignored -> {
            CompletableFuture<ExecResponse> result;
            try {
                result = exec.apply(request);
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            return result.handle((response, failure) -> failure != null ? error(failure) : toRedis(response));
        }).thenAccept(reply -> reply(ctx, reply));
    }

    private static RedisMessage toRedis(ExecResponse response) {
        return switch (response.getKind()) {
            case KIND_OK -> new SimpleStringRedisMessage("OK");
            case KIND_TEXT -> bulk(String.join("\n", response.getLinesList()));
            default -> new ArrayRedisMessage(response.getLinesList().stream().map(RespHandler::bulk).toList());
        };
    }

    /** The same text a gRPC client gets: the message of a request error, no detail of an internal one. */
    private RedisMessage error(Throwable failure) {
        String message = errors.toStatus(failure).getStatus().getDescription();
        return new ErrorRedisMessage("ERR " + (message == null ? "failed" : message.replace('\r', ' ').replace('\n', ' ')));
    }

    private static RedisMessage bulk(String text) {
        return new FullBulkStringRedisMessage(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static void reply(ChannelHandlerContext ctx, RedisMessage message) {
        ctx.writeAndFlush(message);
    }

    private static List<String> arguments(RedisMessage message) {
        if (message instanceof InlineCommandRedisMessage inline) {
            return Arrays.stream(inline.content().strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        }
        List<String> args = new ArrayList<>();
        if (message instanceof ArrayRedisMessage array) {
            for (RedisMessage child : array.children()) {
                if (child instanceof FullBulkStringRedisMessage bulk && !bulk.isNull()) {
                    args.add(bulk.content().toString(StandardCharsets.UTF_8));
                }
            }
        }
        return args;
    }

    /** redis-cli splits words itself: re-quote an argument holding spaces so it stays one token. */
    private static List<String> quoted(List<String> args) {
        return args.stream().map(arg -> !arg.matches(".*\\s.*") || arg.startsWith("{") ? arg
                : '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"').toList();
    }
}
