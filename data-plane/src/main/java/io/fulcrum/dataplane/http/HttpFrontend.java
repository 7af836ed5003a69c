package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.proxyprotocol.ClientEndpoints;
import io.fulcrum.dataplane.proxyprotocol.ProxyProtocol;
import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.HttpRoute;
import io.fulcrum.dataplane.runtime.HttpSettings;
import io.fulcrum.dataplane.runtime.Route;
import io.fulcrum.dataplane.runtime.Transport;
import io.fulcrum.dataplane.runtime.UpstreamRoute;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client side of one connection to a {@code protocol http} listener: decodes requests, checks
 * and routes each one, and runs them one at a time, in order, as {@link Exchange}s; requests a
 * client pipelines are decoded ahead and wait their turn (reading pauses while many wait). The
 * connection stays open between requests unless either side asked to close, and closes when
 * nothing moved for the listener's idle timeout.
 *
 * <p>Everything runs on the client's worker loop; server connections are made, used and pooled on
 * the same loop, so no field needs synchronization.
 */
public final class HttpFrontend extends ChannelInboundHandlerAdapter {
    static final int PAUSE_SERVER_FULL = 1;
    static final int PAUSE_CONNECTING = 2;
    static final int PAUSE_QUEUE = 4;
    /** An upgrade request is complete: nothing more is decoded until the server accepts or refuses it. */
    static final int PAUSE_UPGRADE = 8;
    private static final int MAX_QUEUED = 64;
    /**
     * While draining, how long a keep-alive connection that just answered a request stays open for
     * the client's next one (which may already be on its way and is answered with
     * {@code Connection: close}); a connection idle for longer is closed at once.
     */
    public static final long DRAIN_IDLE_GRACE_MS = 1000;
    private static final long DRAIN_IDLE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(DRAIN_IDLE_GRACE_MS);
    /** After an error response, how long the client may still send what nobody will read. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Channel client;
    private final Route route;
    private final Supplier<Route> currentRoute;
    private final Transport transport;
    private final HealthRegistry health;
    private final BackendPools allPools;
    private final HttpConnections connections;
    private final InetSocketAddress remote;
    private final String clientIp;
    private final ResponseEncoder encoder;
    private final RequestDecoder decoder;
    private final ByteRelay relay;
    private final long idleNanos;
    private final long headTimeoutNanos;
    private LoopPools pools;
    private Exchange exchange;
    private ArrayDeque<Object> queued;
    private int pauses;
    private boolean inputClosed;
    private boolean closing;
    private boolean draining;
    private long lastActive;
    private long responseDeadline;
    /** When the head of the request being received must be complete (System.nanoTime()); 0: none pending. */
    private long headDeadline;
    /** Some bytes of that head have arrived (a silent connection is closed without a 408). */
    private boolean headStarted;
    private ConnectionTimer timer;

    private HttpFrontend(Channel client, Route route, Supplier<Route> currentRoute, Transport transport,
            HealthRegistry health, BackendPools pools, HttpConnections connections, InetSocketAddress remote,
            RequestDecoder decoder, ResponseEncoder encoder, ByteRelay relay) {
        this.client = client;
        this.route = route;
        this.currentRoute = currentRoute;
        this.transport = transport;
        this.health = health;
        this.allPools = pools;
        this.connections = connections;
        this.remote = remote;
        this.clientIp = remote.getAddress().getHostAddress();
        this.encoder = encoder;
        this.decoder = decoder;
        this.relay = relay;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(route.idleTimeoutMs());
        this.headTimeoutNanos = route.http().settings().requestTimeoutNanos();
    }

    /**
     * Sets an accepted channel up before it is registered on its worker loop (called on the acceptor
     * loop). {@code route} decides what is fixed per connection (limits of the decoder, buffers,
     * idle timeout, the listener's counters); {@code currentRoute} is read at every request, so a
     * config change routes the next request of a keep-alive connection by the new config.
     * {@code connections} is where the connection registers itself while open (for a drain);
     * {@code relay} takes the connection over if it switches protocols.
     */
    public static void prepare(Channel child, Route route, Supplier<Route> currentRoute, Transport transport,
            HealthRegistry health, BackendPools pools, HttpConnections connections, InetSocketAddress remote,
            ByteRelay relay) {
        ChannelConfig config = child.config();
        config.setRecvByteBufAllocator(route.buffers().clientReads());
        config.setWriteBufferWaterMark(route.buffers().clientWrites());
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        HttpSettings settings = route.http().settings();
        HttpDecoderConfig requests = new HttpDecoderConfig().setMaxInitialLineLength(settings.maxRequestLine())
                .setMaxHeaderSize(settings.maxHeaderSize()).setMaxChunkSize(HttpSettings.MAX_CHUNK);
        RequestDecoder decoder = new RequestDecoder(requests);
        ResponseEncoder encoder = new ResponseEncoder();
        child.pipeline().addLast(decoder, encoder, new HttpFrontend(child, route, currentRoute, transport, health, pools,
                connections, remote, decoder, encoder, relay));
        transport.readFromRegistration(child);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        route.stats().opened();
        pools = allPools.of(client.eventLoop());
        lastActive = System.nanoTime();
        timer = new ConnectionTimer(client.eventLoop(), this::onTimer);
        headDeadline = lastActive + headTimeoutNanos;
        // the first deadline a request sets is then never earlier than the timer: no rescheduling
        timer.notAfter(lastActive + Math.min(Math.min(idleNanos, headTimeoutNanos), route.http().settings().responseTimeoutNanos()));
        connections.opened(this);
    }

    /**
     * The node drains (on this connection's loop; see {@link HttpConnections#drain()}): the
     * current response, if any, is the last one and says {@code Connection: close}.
     */
    void drain() {
        if (draining || closing || !client.isActive()) {
            return;
        }
        draining = true;
        if (exchange == null) {
            closeIfIdleFor(DRAIN_IDLE_GRACE_NANOS);
        }
    }

    /** True once the node drains: the next response ends this connection. */
    boolean draining() {
        return draining;
    }

    /** Closes an idle draining connection idle for {@code grace}; else looks again when it would be. */
    private void closeIfIdleFor(long grace) {
        if (exchange != null || closing) {
            return;
        }
        if (System.nanoTime() - lastActive >= grace) {
            closeWhenFlushed();
        } else {
            timer.notAfter(lastActive + grace);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (closing) {
            ReferenceCountUtil.release(message);
        } else if ((queued != null && !queued.isEmpty()) || (exchange != null && exchange.requestComplete())) {
            enqueue(message);
        } else {
            handle(message);
        }
    }

    private void handle(Object message) {
        if (message instanceof HttpRequest request) {
            headDeadline = 0;
            headStarted = false;
            startRequest(request);
        } else if (message instanceof HttpContent content && exchange != null) {
            exchange.requestContent(content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    private void startRequest(HttpRequest request) {
        Route now = currentRoute.get();
        HttpRoute http = now.http() != null ? now.http() : route.http();
        RequestCheck.Rejection rejection = RequestCheck.check(request, http.settings().maxBodySize());
        RequestTarget target = rejection == null ? RequestTarget.of(request) : null;
        if (rejection == null && target == null) {
            rejection = RequestCheck.bad("malformed request target or Host");
        }
        UpstreamRoute candidates = target == null ? null : http.router().route(target.host(), target.path());
        if (rejection == null && candidates == null) {
            rejection = new RequestCheck.Rejection(HttpResponseStatus.NOT_FOUND, "no route");
        }
        exchange = new Exchange(this, http, request, target, candidates);
        if (rejection != null) {
            exchange.reject(rejection);
        } else {
            exchange.start();
        }
    }

    private void enqueue(Object message) {
        if (queued == null) {
            queued = new ArrayDeque<>();
        }
        queued.add(message);
        if (queued.size() > MAX_QUEUED) {
            pause(PAUSE_QUEUE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActive = System.nanoTime();
        if (exchange != null) {
            exchange.clientReadComplete();
        } else if (!closing && (queued == null || queued.isEmpty())) {
            // bytes of a request head that is not complete yet: it has until the deadline
            headStarted = true;
            if (headDeadline == 0) {
                headDeadline = lastActive + headTimeoutNanos;
                timer.notAfter(headDeadline);
            }
        }
    }

    /** The exchange is over; {@code keepAlive}: the connection may carry the next request. */
    void exchangeDone(boolean keepAlive) {
        exchange = null;
        responseDeadline = 0;
        headDeadline = 0;
        headStarted = false;
        // the server connection went back to the pool still draining the request's end: its
        // writability no longer concerns this client
        resume(PAUSE_SERVER_FULL | PAUSE_CONNECTING);
        if (!keepAlive) {
            closeWhenFlushed();
            return;
        }
        if (draining && (queued == null || queued.isEmpty())) {
            // the response went out before the drain began and allowed another request: wait
            // a moment for one that may be on its way, it will be told to close
            closeIfIdleFor(inputClosed ? 0 : DRAIN_IDLE_GRACE_NANOS);
            return;
        }
        while (queued != null && !queued.isEmpty() && !closing && (exchange == null || !exchange.requestComplete())) {
            handle(queued.poll());
        }
        if (queued != null && queued.size() <= MAX_QUEUED / 2) {
            resume(PAUSE_QUEUE);
        }
        if (exchange != null) {
            exchange.clientReadComplete();
        } else if (inputClosed) {
            closeWhenFlushed();
        }
    }

    private void closeWhenFlushed() {
        closing = true;
        ChannelOutboundBuffer unwritten = client.unsafe().outboundBuffer();
        if (unwritten == null || unwritten.isEmpty()) {
            client.close();
        } else {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Answers with {@code status} and closes: the response is flushed, the output shut down, and
     * whatever the client still sends is read and dropped for a moment, so that it sees the
     * answer instead of a reset.
     */
    void replyAndClose(HttpResponseStatus status, boolean head) {
        closing = true;
        encoder.head = head;
        client.writeAndFlush(ErrorResponse.of(status, client.alloc())).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() || inputClosed) {
                client.close();
            } else {
                ((DuplexChannel) client).shutdownOutput();
                pauses = 0;
                client.config().setAutoRead(true);
                timer.notAfter(System.nanoTime() + LINGER_NANOS);
            }
        });
    }

    /** The current request asks for an upgrade and is complete: what follows waits for the server's answer. */
    void holdForUpgrade() {
        decoder.hold();
        pause(PAUSE_UPGRADE);
    }

    /** The server answered the upgrade request with a final response: the connection stays HTTP. */
    void upgradeRefused() {
        if ((pauses & PAUSE_UPGRADE) == 0) {
            return;
        }
        try {
            decoder.resume(client.pipeline().context(decoder));
        } catch (Exception e) {
            abort();
            return;
        }
        resume(PAUSE_UPGRADE);
    }

    /**
     * The server switched protocols with {@code response} (a {@code 101}, its headers rewritten):
     * it goes to the client, then this connection and {@code server} leave HTTP and are relayed
     * as bytes. What either decoder held (sent after the request or after the 101) goes first.
     */
    void upgraded(HttpResponse response, BackendConnection server) {
        exchange = null;
        closing = true;
        timer.cancel();
        connections.closed(this);
        Channel serverChannel = server.leaveHttp();
        if (queued != null && !queued.isEmpty()) {
            serverChannel.close(); // cannot happen: the decoder held what followed the upgrade request
            client.close();
            return;
        }
        client.writeAndFlush(new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
                Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE), client.voidPromise());
        client.pipeline().remove(encoder);
        client.pipeline().remove(this);
        relay.relay(client, serverChannel, server.backend(), route);
        client.pipeline().remove(decoder);
        server.removeDecoder();
    }

    /** Cuts the connection: a response already started cannot be finished. */
    void abort() {
        closing = true;
        client.close();
    }

    void writeResponse(HttpResponse response, boolean head) {
        encoder.head = head;
        client.write(response, client.voidPromise());
    }

    void pause(int reason) {
        boolean wasReading = pauses == 0;
        pauses |= reason;
        if (wasReading) {
            client.config().setAutoRead(false);
        }
    }

    void resume(int reason) {
        if ((pauses & reason) != 0) {
            pauses &= ~reason;
            if (pauses == 0 && !closing) {
                client.config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        lastActive = System.nanoTime();
        if (exchange != null && client.isWritable()) {
            exchange.clientWritable();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof ChannelInputShutdownEvent)) {
            return;
        }
        inputClosed = true;
        if (closing || exchange == null) {
            client.close();
        } else if (!exchange.requestComplete()) {
            exchange.clientClosed();
            client.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        connections.closed(this);
        route.stats().closed();
        if (timer != null) {
            timer.cancel();
        }
        if (exchange != null) {
            exchange.clientClosed();
            exchange = null;
        }
        if (queued != null) {
            queued.forEach(ReferenceCountUtil::release);
            queued = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        client.close();
    }

    /** Traffic moved on the server side. */
    void active(long now) {
        lastActive = now;
    }

    /** The current exchange times out at {@code deadline} (System.nanoTime()); 0 for no deadline. */
    void responseDeadline(long deadline) {
        responseDeadline = deadline;
        if (deadline != 0) {
            timer.notAfter(deadline);
        }
    }

    /** The response deadline, the idle timeout and the end of lingering after an error share one timer. */
    private void onTimer() {
        if (!client.isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (closing) {
            client.close();
            return;
        }
        if (draining && exchange == null) {
            closeIfIdleFor(DRAIN_IDLE_GRACE_NANOS);
            if (closing) {
                return;
            }
        }
        if (exchange != null && responseDeadline != 0 && now - responseDeadline >= 0) {
            exchange.responseTimedOut();
        } else if (exchange == null && headDeadline != 0 && now - headDeadline >= 0) {
            headTimedOut();
            return;
        } else if (now - lastActive >= idleNanos) {
            if (exchange != null) {
                exchange.clientClosed();
            }
            client.close();
        }
        if (!closing) {
            long next = responseDeadline != 0 ? Math.min(responseDeadline, lastActive + idleNanos) : lastActive + idleNanos;
            timer.notAfter(exchange == null && headDeadline != 0 ? Math.min(next, headDeadline) : next);
        }
    }

    /**
     * The request head did not arrive in time (slowloris, or a client that connected and said
     * nothing): 408 and close if some of it came, as HAProxy's {@code timeout http-request} and
     * nginx's {@code client_header_timeout}; a connection that sent nothing is just closed, so a
     * browser's unused preconnect sees no error.
     */
    private void headTimedOut() {
        if (!headStarted) {
            client.close();
            return;
        }
        new RequestSummary(System.nanoTime(), System.currentTimeMillis(), "-", "-", "-", null)
                .record(this, route.http(), null, HttpResponseStatus.REQUEST_TIMEOUT.code(), 0, 0);
        replyAndClose(HttpResponseStatus.REQUEST_TIMEOUT, false);
    }

    Channel channel() {
        return client;
    }

    Route route() {
        return route;
    }

    HealthRegistry health() {
        return health;
    }

    LoopPools pools() {
        return pools;
    }

    InetAddress clientAddress() {
        return remote.getAddress();
    }

    String clientIp() {
        return clientIp;
    }

    int clientPort() {
        return remote.getPort();
    }

    BackendConnection open(Backend backend, HttpSettings settings) {
        return BackendConnection.open(transport, client.eventLoop(), backend, route.buffers(), settings, pools,
                backend.proxyProtocol() == ProxyProtocol.OFF ? null : ClientEndpoints.of(client));
    }
}
