package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.ServerKey;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of every listener and server of this node. Entries of resources that left the
 * config are dropped at a later apply once no connection uses them. Thread-safe.
 */
public final class TrafficStats {
    private final ConcurrentHashMap<String, ListenerStats> listeners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ServerKey, ServerStats> servers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<String>, HttpRouteStats> httpRoutes = new ConcurrentHashMap<>();

    public ListenerStats listener(String name) {
        return listeners.computeIfAbsent(name, ListenerStats::new);
    }

    public ServerStats server(ServerKey key) {
        return servers.computeIfAbsent(key, ServerStats::new);
    }

    /** The request counters of HTTP listener {@code listener} towards server group {@code group}. */
    public HttpRouteStats httpRoute(String listener, String group) {
        return httpRoutes.computeIfAbsent(List.of(listener, group), key -> new HttpRouteStats(listener, group));
    }

    public Collection<HttpRouteStats> httpRoutes() {
        return httpRoutes.values();
    }

    public Collection<ListenerStats> listeners() {
        return listeners.values();
    }

    public Collection<ServerStats> servers() {
        return servers.values();
    }

    /**
     * Drops the entries outside the applied config that have no open connection left, and the HTTP
     * route counters of listeners or groups that left.
     */
    public void retain(Set<String> listenerNames, Set<ServerKey> serverKeys, Set<String> groupNames) {
        listeners.values().removeIf(stats -> !listenerNames.contains(stats.listener()) && stats.open() <= 0);
        servers.values().removeIf(stats -> !serverKeys.contains(stats.key()) && stats.open() <= 0);
        httpRoutes.values().removeIf(stats -> !listenerNames.contains(stats.listener())
                || !(groupNames.contains(stats.group()) || stats.group().equals(HttpRouteStats.NO_GROUP)));
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
