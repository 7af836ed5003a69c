package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.HttpRoute;
import io.fulcrum.dataplane.runtime.UpstreamRoute;
import io.fulcrum.dataplane.runtime.Writability;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and its response, on the client's event loop.
 *
 * <p>Life: the request's parts are collected until the client's read batch ends, so a request
 * whose later bytes in the same batch are malformed is never sent anywhere; then a
 * {@link ServerAcquisition} finds a server connection; the request is forwarded and its body
 * streamed as it arrives, the client paused while the server's socket is full. The response is
 * streamed back the same way. When it is complete the server connection goes back to the pool if
 * the request and the response allow another request on it ({@link ResponseFraming}).
 *
 * <p>Failures answer the client while no response byte went out: 502 (no server, connect failed,
 * the server closed or sent garbage), 504 (no response in time), 400/413 (a malformed or too
 * large body); after that the client connection is cut. A request without a body that fails on a
 * reused pooled connection before any response byte is sent once more on a new connection: the
 * server probably closed the idle connection as the request went out.
 */
final class Exchange {
    private static final int CLIENT_CLOSED = 499;

    private final HttpFrontend frontend;
    private final HttpRoute http;
    private final HttpRequest request;
    private final RequestTarget target;
    private final RequestSummary summary;
    private final ServerAcquisition acquisition;
    private final boolean head;
    private final boolean clientHttp10;
    private final boolean hasBody;
    private final boolean clientWantsKeepAlive;
    /** The request asks to switch protocols (WebSocket, h2c): a {@code 101} makes the connection a byte relay. */
    private final boolean upgrade;
    private List<Object> pending = new ArrayList<>(2);
    private BackendConnection connection;
    private Backend answering;
    private boolean requestComplete;
    private boolean requestSent;
    private boolean responseStarted;
    /** A final response head not written yet: written with the body when that comes in the same read batch. */
    private HttpResponse heldHead;
    private boolean interim;
    /** The server's {@code 101}, until its end arrives and the connection switches. */
    private HttpResponse switching;
    private ResponseFraming framing;
    private boolean retried;
    private boolean done;
    private int status;
    private long requestBytes;
    private long responseBytes;

    /**
     * @param http       the listener's HTTP route in the config applied when the request came
     * @param candidates null when the request is rejected
     */
    Exchange(HttpFrontend frontend, HttpRoute http, HttpRequest request, RequestTarget target, UpstreamRoute candidates) {
        this.frontend = frontend;
        this.http = http;
        this.request = request;
        this.target = target;
        this.summary = RequestSummary.of(request);
        this.acquisition = candidates == null ? null : new ServerAcquisition(frontend, http.settings(), candidates);
        this.head = request.method() == HttpMethod.HEAD;
        this.clientHttp10 = request.protocolVersion() == HttpVersion.HTTP_1_0;
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || RequestCheck.declaredLength(request.headers()) > 0;
        this.clientWantsKeepAlive = HttpUtil.isKeepAlive(request);
        this.upgrade = HeaderRewrite.upgradeRequested(request);
    }

    /** The request is valid and routed: it waits for the end of the client's read batch. */
    void start() {
        HeaderRewrite.request(request, target, frontend.clientIp(), upgrade);
        pending.add(request);
    }

    /** Fulcrum answers the request itself and closes the connection. */
    void reject(RequestCheck.Rejection rejection) {
        pending = null;
        requestComplete = true;
        fail(rejection.status());
    }

    boolean requestComplete() {
        return requestComplete;
    }

    boolean done() {
        return done;
    }

    void requestContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        requestBytes += content.content().readableBytes();
        long max = http.settings().maxBodySize();
        if (content.decoderResult().isFailure() || (max > 0 && requestBytes > max)) {
            content.release();
            fail(content.decoderResult().isFailure() ? HttpResponseStatus.BAD_REQUEST
                    : HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        requestComplete |= last;
        if (last && upgrade && !responseStarted) {
            frontend.holdForUpgrade();
        }
        if (pending != null) {
            pending.add(content);
            return;
        }
        Channel server = connection.channel();
        server.write(content, server.voidPromise());
        if (last) {
            sent();
        }
        if (!Writability.afterFlush(server)) {
            frontend.pause(HttpFrontend.PAUSE_SERVER_FULL);
        }
    }

    /** The client's read batch ended: forward what came, finding a server connection first if needed. */
    void clientReadComplete() {
        if (done) {
            return;
        }
        if (connection != null) {
            connection.channel().flush();
        } else if (!acquisition.connecting()) {
            acquisition.acquire(this);
        }
    }

    /** No server can take the request. */
    void noServer() {
        fail(HttpResponseStatus.BAD_GATEWAY);
    }

    /** {@code chosen} carries the request from now on: what came so far is written. */
    void attach(BackendConnection chosen) {
        connection = chosen;
        answering = chosen.backend();
        if (answering.hostHeader() != null) {
            request.headers().set(HttpHeaderNames.HOST, answering.hostHeader());
        }
        chosen.attach(this, head);
        Channel server = chosen.channel();
        if (pending.size() == 2 && pending.get(1) instanceof LastHttpContent last) {
            // the whole request came in one batch: one message, one buffer, one system call
            server.write(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    last.content(), request.headers(), last.trailingHeaders()), server.voidPromise());
        } else {
            for (Object part : pending) {
                server.write(part, server.voidPromise());
            }
        }
        pending = null;
        if (requestComplete) {
            sent();
        }
        server.flush();
        if (!server.isWritable()) {
            frontend.pause(HttpFrontend.PAUSE_SERVER_FULL);
        }
    }

    /** The whole request is written: the server has the response timeout to answer. */
    private void sent() {
        requestSent = true;
        frontend.responseDeadline(System.nanoTime() + http.settings().responseTimeoutNanos());
    }

    void backendRead(Object message) {
        if (done) {
            ReferenceCountUtil.release(message);
        } else if (message instanceof HttpResponse response) {
            responseHead(response);
        } else {
            responseContent((HttpContent) message);
        }
    }

    private void responseHead(HttpResponse response) {
        int code = response.status().code();
        if (response.decoderResult().isFailure() || (code == 101 && (!upgrade || !requestComplete))) {
            fail(HttpResponseStatus.BAD_GATEWAY);
        } else if (code == 101) {
            switching = response;
        } else if (code < 200) {
            interim = true;
            if (!clientHttp10) {
                // with its (empty) end, so that the encoder expects the next response head
                HeaderRewrite.response(response);
                frontend.writeResponse(new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
                        Unpooled.EMPTY_BUFFER, response.headers(), EmptyHttpHeaders.INSTANCE), false);
            }
        } else {
            responseStarted = true;
            status = code;
            // a draining node answers each connection's current request last, saying so
            framing = ResponseFraming.of(response, head, clientHttp10, clientWantsKeepAlive && !frontend.draining(),
                    requestComplete);
            heldHead = response;
            if (upgrade) {
                frontend.upgradeRefused();
            }
        }
    }

    /**
     * Writes the held response head; with the last body part when given, as one message, so a
     * small response leaves in one buffer and one system call instead of two.
     */
    private void writeHead(LastHttpContent last) {
        HttpResponse response = heldHead;
        heldHead = null;
        if (last == null) {
            frontend.writeResponse(response, head);
        } else {
            frontend.writeResponse(new DefaultFullHttpResponse(response.protocolVersion(), response.status(),
                    last.content(), response.headers(), last.trailingHeaders()), head);
        }
    }

    private void responseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (switching != null) {
            content.release(); // a 101 has no body: this is its end
            switchProtocols();
        } else if (interim || !responseStarted) {
            interim &= !last;
            content.release();
        } else if (content.decoderResult().isFailure()) {
            content.release();
            fail(HttpResponseStatus.BAD_GATEWAY);
        } else {
            responseBytes += content.content().readableBytes();
            Channel client = frontend.channel();
            if (heldHead != null && last) {
                writeHead((LastHttpContent) content);
            } else {
                if (heldHead != null) {
                    writeHead(null);
                }
                client.write(content, client.voidPromise());
            }
            if (last) {
                finish();
            } else if (!Writability.afterFlush(client)) {
                connection.channel().config().setAutoRead(false);
            }
        }
    }

    void backendReadComplete() {
        if (heldHead != null) {
            writeHead(null);
        }
        frontend.channel().flush();
        long now = System.nanoTime();
        frontend.active(now);
        if (!done && requestSent) {
            frontend.responseDeadline(now + http.settings().responseTimeoutNanos());
        }
    }

    private void finish() {
        done = true;
        record();
        frontend.channel().flush();
        BackendConnection used = connection;
        connection = null;
        if (framing.serverReusable() && requestSent && used.isOpen()) {
            used.release(http.settings());
        } else {
            used.close();
        }
        frontend.exchangeDone(framing.clientKeepAlive());
    }

    /**
     * The server accepted the upgrade: the exchange ends with its {@code 101} and the connection
     * leaves HTTP ({@link Upgrade}).
     */
    private void switchProtocols() {
        done = true;
        status = 101;
        record();
        http.stats(answering.key().group()).upgraded();
        BackendConnection used = connection;
        connection = null;
        HttpResponse response = switching;
        switching = null;
        HeaderRewrite.response(response, true);
        frontend.upgraded(response, used);
    }

    /** The attached server connection closed before the response ended. */
    void backendClosed(BackendConnection closed) {
        if (done || closed != connection) {
            return;
        }
        connection = null;
        if (!responseStarted && !interim && closed.reused() && !hasBody && !retried) {
            retried = true;
            requestSent = false;
            frontend.responseDeadline(0);
            pending = new ArrayList<>(List.of(request, LastHttpContent.EMPTY_LAST_CONTENT));
            acquisition.connect(this, closed.backend());
            return;
        }
        fail(HttpResponseStatus.BAD_GATEWAY);
    }

    void backendWritable() {
        frontend.resume(HttpFrontend.PAUSE_SERVER_FULL);
    }

    void clientWritable() {
        if (connection != null && !done) {
            connection.channel().config().setAutoRead(true);
        }
    }

    void responseTimedOut() {
        fail(HttpResponseStatus.GATEWAY_TIMEOUT);
    }

    /** The client connection closed (or went idle) while this exchange ran. */
    void clientClosed() {
        if (!done) {
            if (!responseStarted) {
                status = CLIENT_CLOSED;
            }
            end();
            record();
        }
    }

    /** Ends the exchange with {@code failure}: told to the client if no response went out yet, else the client is cut off. */
    private void fail(HttpResponseStatus failure) {
        if (done) {
            return;
        }
        boolean headSent = responseStarted && heldHead == null;
        heldHead = null;
        end();
        if (!headSent) {
            status = failure.code();
        }
        record();
        if (headSent) {
            frontend.abort();
        } else {
            frontend.replyAndClose(failure, head);
        }
    }

    private void end() {
        done = true;
        if (pending != null) {
            pending.forEach(ReferenceCountUtil::release);
            pending = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void record() {
        summary.record(frontend, http, answering, status, requestBytes, responseBytes);
    }
}
