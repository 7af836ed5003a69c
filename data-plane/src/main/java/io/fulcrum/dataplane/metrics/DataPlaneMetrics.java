package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.health.HealthStatus;
import io.fulcrum.dataplane.health.ServerKey;
import io.fulcrum.proto.v1.HealthState;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.LongSupplier;

/**
 * Registers the data plane's metrics in its own registry. Every metric is read at scrape time
 * from the live counters, so the connection path only bumps counters and never touches
 * Prometheus objects.
 *
 * <pre>
 * fulcrum_listener_connections_open{listener}            gauge
 * fulcrum_listener_connections_total{listener}           counter
 * fulcrum_listener_bytes_total{listener,direction}       counter, direction in (client to server) | out
 * fulcrum_security_denied_total{listener}                counter
 * fulcrum_listener_unserved_total{listener}              counter, closed because no server could be reached
 * fulcrum_listener_spliced_total{listener,direction}     counter, connection directions that switched to splice
 * fulcrum_server_connections_open{group,server,address}  gauge
 * fulcrum_server_connections_total{group,server,address} counter
 * fulcrum_server_bytes_total{group,server,address,direction} counter
 * fulcrum_connect_failures_total{group,server,address}   counter
 * fulcrum_server_health_state{group,server,address}      gauge: 1 UP, 0 DOWN, -1 UNKNOWN
 * fulcrum_config_version                                 gauge: the applied config version
 * fulcrum_open_connections                               gauge: client connections on this node
 * </pre>
 */
public final class DataPlaneMetrics {
    private static final String[] SERVER = {"group", "server", "address"};
    private static final String[] SERVER_DIRECTION = {"group", "server", "address", "direction"};

    private DataPlaneMetrics() {
    }

    public static void register(PrometheusRegistry registry, TrafficStats stats, HealthRegistry health,
            LongSupplier configVersion) {
        registerListeners(registry, stats);
        registerServers(registry, stats);
        GaugeWithCallback.builder().name("fulcrum_server_health_state")
                .help("Health of a server as this node sees it: 1 UP, 0 DOWN, -1 UNKNOWN")
                .labelNames(SERVER)
                .callback(cb -> {
                    for (HealthStatus status : health.statuses()) {
                        cb.call(value(status.state()), labels(status.key()));
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("fulcrum_config_version").help("Version of the applied config")
                .callback(cb -> cb.call(configVersion.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("fulcrum_open_connections").help("Client connections open on this node")
                .callback(cb -> cb.call(stats.openConnections())).register(registry);
    }

    /**
     * {@code fulcrum_transport_info{transport="epoll-splice"|"epoll-netty"|"nio"} 1}: which sockets
     * the node uses ({@code epoll-netty}: the start check fell back from Fulcrum's splicing channels).
     */
    public static void registerTransport(PrometheusRegistry registry, String transport) {
        GaugeWithCallback.builder().name("fulcrum_transport_info")
                .help("The node's socket transport: epoll-splice (Fulcrum's splicing channels), epoll-netty "
                        + "(Netty's own epoll channels, no splice: the start check failed), nio")
                .labelNames("transport").callback(cb -> cb.call(1, transport)).register(registry);
    }

    private static void registerListeners(PrometheusRegistry registry, TrafficStats stats) {
        GaugeWithCallback.builder().name("fulcrum_listener_connections_open").help("Client connections open")
                .labelNames("listener")
                .callback(cb -> stats.listeners().forEach(l -> cb.call(l.open(), l.listener()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_listener_connections").help("Client connections accepted")
                .labelNames("listener")
                .callback(cb -> stats.listeners().forEach(l -> cb.call(l.accepted(), l.listener()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_listener_bytes").help("Bytes relayed; in: client to server")
                .labelNames("listener", "direction")
                .callback(cb -> stats.listeners().forEach(l -> {
                    cb.call(l.bytesIn(), l.listener(), "in");
                    cb.call(l.bytesOut(), l.listener(), "out");
                })).register(registry);
        CounterWithCallback.builder().name("fulcrum_security_denied").help("Connections refused by the security group")
                .labelNames("listener")
                .callback(cb -> stats.listeners().forEach(l -> cb.call(l.deniedCount(), l.listener()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_listener_unserved")
                .help("Connections closed because no server could be reached")
                .labelNames("listener")
                .callback(cb -> stats.listeners().forEach(l -> cb.call(l.unservedCount(), l.listener()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_listener_spliced")
                .help("Connection directions that switched from copying to splice; in: client to server")
                .labelNames("listener", "direction")
                .callback(cb -> stats.listeners().forEach(l -> {
                    cb.call(l.splicedIn(), l.listener(), "in");
                    cb.call(l.splicedOut(), l.listener(), "out");
                })).register(registry);
    }

    private static void registerServers(PrometheusRegistry registry, TrafficStats stats) {
        GaugeWithCallback.builder().name("fulcrum_server_connections_open").help("Connections open to a server")
                .labelNames(SERVER)
                .callback(cb -> stats.servers().forEach(s -> cb.call(s.open(), labels(s.key())))).register(registry);
        CounterWithCallback.builder().name("fulcrum_server_connections").help("Connections made to a server")
                .labelNames(SERVER)
                .callback(cb -> stats.servers().forEach(s -> cb.call(s.total(), labels(s.key())))).register(registry);
        CounterWithCallback.builder().name("fulcrum_server_bytes").help("Bytes relayed; in: client to server")
                .labelNames(SERVER_DIRECTION)
                .callback(cb -> stats.servers().forEach(s -> {
                    ServerKey k = s.key();
                    cb.call(s.bytesIn(), k.group(), k.server(), k.address(), "in");
                    cb.call(s.bytesOut(), k.group(), k.server(), k.address(), "out");
                })).register(registry);
        CounterWithCallback.builder().name("fulcrum_connect_failures").help("Failed connects to a server")
                .labelNames(SERVER)
                .callback(cb -> stats.servers().forEach(s -> cb.call(s.connectFailures(), labels(s.key()))))
                .register(registry);
    }

    private static String[] labels(ServerKey key) {
        return new String[] {key.group(), key.server(), key.address()};
    }

    private static double value(HealthState state) {
        return switch (state) {
            case HEALTH_STATE_UP -> 1;
            case HEALTH_STATE_DOWN -> 0;
            default -> -1;
        };
    }
}
