package io.fulcrum.controlplane.api.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.state.StateListener;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/watch}: committed config changes as server-sent events, like the gRPC Watch.
 * First the changes after {@code ?fromVersion=} (or the {@code Last-Event-ID} header) this member
 * still holds, then live ones, each once and in version order; {@code ?health=true} adds server
 * health transitions. A {@code ready} event marks the end of the replay. A client that does not
 * read (the channel stays unwritable) is disconnected and resumes with Last-Event-ID.
 */
final class WatchRoute {
    static final long KEEPALIVE_SECONDS = 15;
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final ClusterStateMachine state;

    WatchRoute(ClusterStateMachine state) {
        this.state = state;
    }

    Route route() {
        return Route.of(HttpMethod.GET, "/api/v1/watch", "committed config changes (and health transitions) as "
                + "server-sent events", this::watch).query("fromVersion", "health").produces("text/event-stream");
    }

    private CompletableFuture<RestResponse> watch(RestCall call) {
        call.principal().requireRead();
        String lastId = call.headers().get("Last-Event-ID");
        long from = lastId != null && lastId.matches("\\d+") ? Long.parseLong(lastId) : call.number("fromVersion", 0);
        Stream stream = new Stream(call.channel().channel(), call.flag("health"));
        state.addListener(stream);
        List<ConfigChanged> replay = from == 0 ? List.of() : state.history().since(from);
        if (replay == null) {
            state.removeListener(stream);
            throw new RestException(HttpResponseStatus.GONE, "the changes after version " + from
                    + " are no longer held by this member (it holds " + state.history().heldVersions()
                    + "); read the config and watch from its version");
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpUtil.setTransferEncodingChunked(head, true);
        Channel channel = call.channel().channel();
        channel.writeAndFlush(head);
        channel.closeFuture().addListener(f -> state.removeListener(stream));
        var keepalive = channel.eventLoop().scheduleAtFixedRate(() -> stream.write(": keepalive\n\n"),
                KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        channel.closeFuture().addListener(f -> keepalive.cancel(false));
        stream.prime(replay, from == 0 ? state.model().version() : from);
        return CompletableFuture.completedFuture(RestResponse.STREAMING);
    }

    /** One client's event stream; listener callbacks arrive on the Raft apply thread. */
    private static final class Stream implements StateListener {
        private final Channel channel;
        private final boolean health;
        private final List<ConfigChanged> early = new ArrayList<>();
        private long lastVersion;
        private boolean primed;

        Stream(Channel channel, boolean health) {
            this.channel = channel;
            this.health = health;
        }

        /** Sends the replay, then what arrived while it was read, then {@code ready}. */
        synchronized void prime(List<ConfigChanged> replay, long startVersion) {
            lastVersion = startVersion;
            replay.forEach(this::send);
            lastVersion = Math.max(lastVersion, startVersion);
            early.forEach(this::send);
            early.clear();
            primed = true;
            write("event: ready\ndata: {\"version\":" + lastVersion + "}\n\n");
        }

        @Override
        public synchronized void onConfigChanged(ConfigModel model, ConfigChanged event) {
            if (event == null) {
                return;
            }
            if (primed) {
                send(event);
            } else {
                early.add(event);
            }
        }

        @Override
        public void onHealthTransitions(List<HealthTransition> transitions) {
            if (health) {
                transitions.forEach(t -> write("event: health\ndata: " + json(t) + "\n\n"));
            }
        }

        private void send(ConfigChanged event) {
            if (event.getVersion() > lastVersion) {
                lastVersion = event.getVersion();
                write("id: " + event.getVersion() + "\nevent: config\ndata: " + json(event) + "\n\n");
            }
        }

        void write(String text) {
            if (!channel.isActive()) {
                return;
            }
            if (!channel.isWritable()) {
                channel.close(); // too far behind: the client resumes with Last-Event-ID
                return;
            }
            channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        }

        private static String json(MessageOrBuilder message) {
            try {
                return JSON.print(message);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
