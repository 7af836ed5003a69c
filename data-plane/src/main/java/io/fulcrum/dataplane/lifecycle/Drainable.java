package io.fulcrum.dataplane.lifecycle;

/**
 * What a {@link Drain} needs from a data-plane node (implemented by
 * {@code io.fulcrum.dataplane.DataPlane}), so that this package never depends on the package
 * holding the node. Every method may be called from any thread.
 */
public interface Drainable {
    /** The node id, for logs. */
    String nodeId();

    /**
     * Closes every listener and returns once their sockets are closed: new connections are
     * refused from then on, and configs are no longer applied. Connections already accepted are
     * not touched. Idempotent.
     */
    void stopAccepting();

    /**
     * Every HTTP connection closes after its current response, which says
     * {@code Connection: close}; idle ones close at once (see
     * {@code io.fulcrum.dataplane.http.HttpConnections#drain}). TCP connections are not touched.
     * Returns at once. Idempotent.
     */
    void closeHttpAfterCurrentRequest();

    /** True once {@link #stopAccepting()} was called. */
    boolean draining();

    /** Client connections open on every listener, TCP and HTTP. */
    long openConnections();

    /** Stops the node: whatever is still open is cut. */
    void close();
}
