package io.fulcrum.controlplane.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.command.Script;
import io.fulcrum.controlplane.api.Errors;
import io.fulcrum.controlplane.testing.CapturedLog;
import io.fulcrum.proto.v1.ExecResponse;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.InlineCommandRedisMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RESP errors read as gRPC's: a request error's message, an internal error without its detail. */
@Timeout(10)
class RespHandlerTest {
    private final Errors errors = new Errors("cp1", Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));

    private String reply(Function<String, CompletableFuture<ExecResponse>> exec, String command) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespHandler(null, exec, errors));
        channel.writeInbound(new InlineCommandRedisMessage(command));
        ErrorRedisMessage reply = channel.readOutbound();
        channel.finishAndReleaseAll();
        return reply.content();
    }

    @Test
    void aBadCommandGetsTheParsersMessage() {
        assertEquals("ERR unknown action \"frobnicate\"; allowed: add, list (ls), list-detail (ll), update (mod), remove (rm), man",
                reply(text -> {
                    Script.parse(text);
                    return CompletableFuture.completedFuture(ExecResponse.getDefaultInstance());
                }, "frobnicate upstream"));
    }

    @Test
    void anInternalErrorGetsNoDetail() {
        try (CapturedLog ignored = new CapturedLog(Errors.class)) {
            assertEquals("ERR internal error (see the log of cp1 at 2025-01-02T03:04:05Z)",
                    reply(text -> CompletableFuture.failedFuture(new IllegalStateException("secret detail")), "list upstream"));
            assertEquals("ERR internal error (see the log of cp1 at 2025-01-02T03:04:05Z)",
                    reply(text -> {
                        throw new NullPointerException("secret detail");
                    }, "list upstream"));
        }
    }
}
