/**
 * HTTP/1.1 load balancing for {@code protocol http} listeners (see docs/http.md): the client side
 * of a connection ({@link io.fulcrum.dataplane.http.HttpFrontend}), one request at a time
 * ({@link io.fulcrum.dataplane.http.Exchange}), server connections and their per-loop pools
 * ({@link io.fulcrum.dataplane.http.BackendConnection}, {@link io.fulcrum.dataplane.http.LoopPools}).
 * Everything of one client connection runs on its event loop. Uses {@code runtime} (routes,
 * settings, routers), {@code health} and {@code accesslog}; nothing here is used by the TCP path
 * but the accept-time branch in {@code proxy.Acceptor}.
 */
package io.fulcrum.dataplane.http;
