package io.fulcrum.dataplane.runtime;

/** Which Netty transport a data plane uses. */
public enum TransportKind {
    /** Native epoll when it is available (Linux), NIO otherwise. */
    AUTO,
    /** Native epoll; fails to start where it is not available. */
    EPOLL,
    /** Java NIO everywhere (SO_REUSEPORT through the JDK; no IP_FREEBIND). */
    NIO
}
