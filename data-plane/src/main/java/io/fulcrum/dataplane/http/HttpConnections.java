package io.fulcrum.dataplane.http;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open client connections of one data plane's HTTP listeners, so that a drain can reach them.
 * Thread-safe: connections add and remove themselves from their own event loops.
 */
public final class HttpConnections {
    private final Set<HttpFrontend> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    void opened(HttpFrontend connection) {
        open.add(connection);
        if (draining) {
            connection.channel().eventLoop().execute(connection::drain);
        }
    }

    void closed(HttpFrontend connection) {
        open.remove(connection);
    }

    /**
     * From now on every HTTP connection closes after its current response, which carries
     * {@code Connection: close}; an idle one closes at once, or, when it answered a request less
     * than {@link HttpFrontend#DRAIN_IDLE_GRACE_MS} ago, when that grace ends without a new request
     * (a request already on its way is answered, with {@code Connection: close}). Connections
     * accepted later do the same. Returns at once; each connection acts on its own event loop.
     * Idempotent.
     */
    public void drain() {
        draining = true;
        for (HttpFrontend connection : open) {
            connection.channel().eventLoop().execute(connection::drain);
        }
    }

    /** True once {@link #drain()} was called. */
    public boolean draining() {
        return draining;
    }

    /** HTTP client connections open now (racy, for logs and tests). */
    public int size() {
        return open.size();
    }
}
