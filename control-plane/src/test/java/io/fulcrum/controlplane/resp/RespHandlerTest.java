package io.fulcrum.controlplane.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.config.command.Script;
import io.fulcrum.controlplane.api.Errors;
import io.fulcrum.controlplane.testing.CapturedLog;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.OutcomeUnknownException;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;
import java.util.ArrayList;
import java.util.List;
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
        EmbeddedChannel channel = new EmbeddedChannel(new RespHandler(null, request -> exec.apply(request.getText()), errors));
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
    void aWriteWhoseOutcomeIsUnknownSaysSoInsteadOfRetry() {
        assertEquals("ERR outcome unknown: the leader lost its leadership (Leader stepped down) after the change was proposed: "
                + "it may or may not be applied; read the config to see, or retry with the same request id (a change applies "
                + "at most once)", reply(text -> CompletableFuture.failedFuture(new OutcomeUnknownException("the leader lost its "
                + "leadership (Leader stepped down) after the change was proposed: it may or may not be applied")), "add upstream u"));
        assertEquals("ERR no leader right now (election in progress?); retry", reply(text -> CompletableFuture.failedFuture(
                new NotLeaderException(null, "not the leader")), "add upstream u"));
    }

    @Test
    void withIdGivesTheCommandARequestId() {
        List<ExecRequest> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new RespHandler(null, request -> {
            seen.add(request);
            return CompletableFuture.completedFuture(ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_OK).build());
        }, errors));
        channel.writeInbound(new InlineCommandRedisMessage("WITH-ID w-1 add upstream u"));
        channel.writeInbound(new InlineCommandRedisMessage("add upstream v"));
        channel.writeInbound(new InlineCommandRedisMessage("with-id w-2"));
        assertEquals("OK", ((SimpleStringRedisMessage) channel.readOutbound()).content());
        assertEquals("OK", ((SimpleStringRedisMessage) channel.readOutbound()).content());
        assertEquals("ERR WITH-ID needs a request id and a command: WITH-ID ID COMMAND...",
                ((ErrorRedisMessage) channel.readOutbound()).content());
        channel.finishAndReleaseAll();
        assertEquals(List.of("w-1 add upstream u", " add upstream v"), seen.stream().map(r -> r.getRequestId() + " " + r.getText()).toList());
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
