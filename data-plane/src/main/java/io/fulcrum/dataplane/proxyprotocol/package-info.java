/**
 * The PROXY protocol (HAProxy's, v1 text and v2 binary), both ways: reading the header a load
 * balancer in front sends on connections from trusted networks ({@link
 * io.fulcrum.dataplane.proxyprotocol.ProxyHeaderReader}), so that the client's address survives
 * the L4 hop, and sending one to servers ({@link io.fulcrum.dataplane.proxyprotocol.ProxyProtocol}).
 * Uses Netty's codec-haproxy and {@code security} (networks); used by {@code proxy}, {@code http}
 * and {@code runtime}, and imports none of them.
 */
package io.fulcrum.dataplane.proxyprotocol;
