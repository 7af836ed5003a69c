package io.fulcrum.controlplane.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.api.Errors;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Huge or broken RESP frames get one clear error and a closed connection; nothing is run, nothing huge is held. */
@Timeout(10)
class RespLimitsTest {
    private final List<ExecRequest> ran = new CopyOnWriteArrayList<>();

    private EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        RespServer.pipeline(channel.pipeline(), null, request -> {
            ran.add(request);
            return CompletableFuture.completedFuture(ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_OK).build());
        }, new Errors("cp1", Clock.systemUTC()));
        return channel;
    }

    private String send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        for (ByteBuf reply = channel.readOutbound(); reply != null; reply = channel.readOutbound()) {
            out.append(reply.toString(StandardCharsets.UTF_8));
            reply.release();
        }
        return out.toString();
    }

    @Test
    void anArrayHeaderOfTwoBillionArgumentsIsRefusedBeforeAnythingIsAllocated() {
        EmbeddedChannel channel = connection();
        assertEquals("-ERR protocol error: a command of 2000000000 arguments (at most 4096)\r\n", send(channel, "*2000000000\r\n"));
        assertFalse(channel.isActive(), "the connection is closed");
        assertTrue(ran.isEmpty());
    }

    @Test
    void aHugeArgumentIsRefusedBeforeItIsBuffered() {
        EmbeddedChannel channel = connection();
        assertEquals("-ERR protocol error: an argument of 536870000 bytes (at most 1048576)\r\n",
                send(channel, "*2\r\n$3\r\nadd\r\n$536870000\r\nxxxx"));
        assertFalse(channel.isActive());
        assertTrue(ran.isEmpty());
    }

    @Test
    void bytesThatDoNotDecodeCloseTheConnectionWithAnError() {
        EmbeddedChannel channel = connection();
        String reply = send(channel, "*1\r\n$abc\r\n");
        assertTrue(reply.startsWith("-ERR protocol error: "), reply);
        assertFalse(channel.isActive());
        assertTrue(ran.isEmpty());
    }

    @Test
    void aNormalCommandStillRuns() {
        EmbeddedChannel channel = connection();
        assertEquals("+OK\r\n", send(channel, "*3\r\n$3\r\nadd\r\n$8\r\nupstream\r\n$1\r\nu\r\n"));
        assertEquals("add upstream u", ran.get(0).getText());
        channel.finishAndReleaseAll();
    }
}
