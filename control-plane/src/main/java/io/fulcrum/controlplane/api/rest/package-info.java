/**
 * The REST API and the status page of a control-plane member (docs/api.md): JSON over HTTP on
 * Netty, in vproxy's path shape, over the same operations the gRPC services call
 * ({@code ConfigOperations}, {@code ClusterOperations}, {@code HistoryOperations}) with the same
 * tokens and roles. Depends on {@code controlplane.api}; nothing there depends on this package.
 */
package io.fulcrum.controlplane.api.rest;
