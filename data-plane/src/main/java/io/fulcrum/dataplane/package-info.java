/**
 * A Fulcrum data-plane node: {@link io.fulcrum.dataplane.DataPlane} applies a
 * {@code fulcrum.v1.Config} atomically and relays TCP connections or routes HTTP requests with Netty.
 * <ul>
 *   <li>{@code runtime}: the applied config as an immutable {@code Runtime}, event loops, listener sockets;</li>
 *   <li>{@code proxy}: what happens to one TCP connection (accept, connect with retry, relay);</li>
 *   <li>{@code http}: one HTTP connection, its requests, and the pool of server connections;</li>
 *   <li>{@code accesslog}: the HTTP access log, written off the event loops;</li>
 *   <li>{@code balance}: selection algorithms (wrr, wlc, Maglev), free of Netty;</li>
 *   <li>{@code health}: active and passive health checks and the per-server state machine;</li>
 *   <li>{@code security}: security-group rules checked at accept;</li>
 *   <li>{@code metrics} and {@code admin}: Prometheus metrics and the admin HTTP endpoint.</li>
 * </ul>
 * It depends on {@code proto} and {@code config} only: never on the control plane.
 */
package io.fulcrum.dataplane;
