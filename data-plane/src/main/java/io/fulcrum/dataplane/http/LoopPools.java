package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.health.ServerKey;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The idle keep-alive connections of one event loop, per server. Only that loop touches it. The
 * most recently used connection is reused first (the others age out); a connection that goes
 * back when its server already has the listener's maximum idle is closed; an idle connection is
 * closed after the listener's idle timeout, checked by one sweep per loop that only runs while
 * something is idle. A connection the server closes leaves the pool at once.
 */
public final class LoopPools {
    private final EventLoop loop;
    private final Map<ServerKey, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    private int idleCount;
    private ScheduledFuture<?> sweep;

    LoopPools(EventLoop loop) {
        this.loop = loop;
    }

    /** An open idle connection to {@code server}, taken out of the pool; null if there is none. */
    BackendConnection poll(ServerKey server) {
        ArrayDeque<BackendConnection> connections = idle.get(server);
        if (connections == null) {
            return null;
        }
        BackendConnection connection;
        while ((connection = connections.pollLast()) != null) {
            idleCount--;
            if (connection.isOpen()) {
                return connection;
            }
        }
        return null;
    }

    /** Takes {@code connection} back, or closes it when its server has {@code maxIdle} idle already. */
    void offer(BackendConnection connection, int maxIdle, long idleTimeoutNanos) {
        ArrayDeque<BackendConnection> connections = idle.computeIfAbsent(connection.server(), k -> new ArrayDeque<>());
        if (connections.size() >= maxIdle || !connection.isOpen()) {
            connection.close();
            return;
        }
        connection.idleUntil(System.nanoTime() + idleTimeoutNanos);
        connections.addLast(connection);
        idleCount++;
        if (sweep == null) {
            sweep = loop.schedule(this::sweep, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code connection} closed while idle. */
    void remove(BackendConnection connection) {
        ArrayDeque<BackendConnection> connections = idle.get(connection.server());
        if (connections != null && connections.remove(connection)) {
            idleCount--;
        }
    }

    int idleCount() {
        return idleCount;
    }

    private void sweep() {
        sweep = null;
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Iterator<ArrayDeque<BackendConnection>> servers = idle.values().iterator(); servers.hasNext(); ) {
            ArrayDeque<BackendConnection> connections = servers.next();
            for (Iterator<BackendConnection> it = connections.iterator(); it.hasNext(); ) {
                BackendConnection connection = it.next();
                if (connection.idleUntil() - now <= 0) {
                    it.remove();
                    idleCount--;
                    connection.close();
                } else {
                    next = Math.min(next, connection.idleUntil() - now);
                }
            }
            if (connections.isEmpty()) {
                servers.remove();
            }
        }
        if (next != Long.MAX_VALUE) {
            sweep = loop.schedule(this::sweep, next, TimeUnit.NANOSECONDS);
        }
    }
}
