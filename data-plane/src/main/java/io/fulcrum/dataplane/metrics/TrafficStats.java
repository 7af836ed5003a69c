package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.proto.v1.ListenerCounters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Each listener's totals, for the heartbeat (the control plane's status page shows rates). */
    public List<ListenerCounters> listenerCounters() {
        Map<String, Long> requests = new HashMap<>();
        for (HttpRouteStats route : httpRoutes.values()) {
            long sum = 0;
            for (int digit = 1; digit <= 5; digit++) {
                sum += route.requests(digit);
            }
            requests.merge(route.listener(), sum, Long::sum);
        }
        List<ListenerCounters> counters = new ArrayList<>();
        for (ListenerStats listener : listeners.values()) {
            counters.add(ListenerCounters.newBuilder().setListener(listener.listener()).setConnectionsTotal(listener.accepted())
                    .setOpenConnections(listener.open()).setRequestsTotal(requests.getOrDefault(listener.listener(), 0L))
                    .build());
        }
        counters.sort(java.util.Comparator.comparing(ListenerCounters::getListener));
        return counters;
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
