package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.ServerKey;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of every listener and server of this node. Entries of resources that left the
 * config are dropped at a later apply once no connection uses them. Thread-safe.
 */
public final class TrafficStats {
    private final ConcurrentHashMap<String, ListenerStats> listeners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServerKey, ServerStats> servers = new ConcurrentHashMap<>();

    public ListenerStats listener(String name) {
        return listeners.computeIfAbsent(name, ListenerStats::new);
    }

    public ServerStats server(ServerKey key) {
        return servers.computeIfAbsent(key, ServerStats::new);
    }

    public Collection<ListenerStats> listeners() {
        return listeners.values();
    }

    public Collection<ServerStats> servers() {
        return servers.values();
    }

    /** Drops the entries outside the applied config that have no open connection left. */
    public void retain(Set<String> listenerNames, Set<ServerKey> serverKeys) {
        listeners.values().removeIf(stats -> !listenerNames.contains(stats.listener()) && stats.open() <= 0);
        servers.values().removeIf(stats -> !serverKeys.contains(stats.key()) && stats.open() <= 0);
    }

    /** Client connections open on every listener. */
    public long openConnections() {
        long open = 0;
        for (ListenerStats stats : listeners.values()) {
            open += stats.open();
        }
        return open;
    }
}
