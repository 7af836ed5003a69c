package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.accesslog.AccessEntry;
import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.HttpRoute;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What the access log and the metrics keep of a request, taken before its headers are rewritten.
 *
 * @param startNanos System.nanoTime() when the request's head was decoded
 */
record RequestSummary(long startNanos, long startMillis, String method, String uri, String protocol, String host) {

    static RequestSummary of(HttpRequest request) {
        return new RequestSummary(System.nanoTime(), System.currentTimeMillis(), request.method().name(), request.uri(),
                request.protocolVersion().text(), request.headers().get(HttpHeaderNames.HOST));
    }

    /** Counts the finished exchange in the route's metrics and writes its access-log line. */
    void record(HttpFrontend frontend, HttpRoute http, Backend answering, int status, long requestBytes,
            long responseBytes) {
        long nanos = System.nanoTime() - startNanos;
        String group = answering == null ? null : answering.key().group();
        http.stats(group).record(status, nanos);
        frontend.route().stats().bytes(requestBytes, responseBytes);
        if (answering != null) {
            answering.stats().bytes(requestBytes, responseBytes);
        }
        if (http.logs()) {
            http.log(new AccessEntry(startMillis, frontend.clientIp(), frontend.clientPort(),
                    frontend.route().name(), host, method, uri, protocol, status, responseBytes, requestBytes, nanos / 1000,
                    answering == null ? null : answering.key().address(), group,
                    answering == null ? null : answering.key().server()));
        }
    }
}
