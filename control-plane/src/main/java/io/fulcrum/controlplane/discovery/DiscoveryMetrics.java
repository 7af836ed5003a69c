package io.fulcrum.controlplane.discovery;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The discovery metrics of one control-plane member; only the leader's carry per-group series. */
final class DiscoveryMetrics {
    private static final String GROUP = "server_group";
    private final Gauge leading;
    private final Gauge servers;
    private final Gauge lastSuccess;
    private final Gauge lastError;
    private final Gauge holding;
    private final Counter failures;
    private final Counter commits;

    DiscoveryMetrics(PrometheusRegistry registry) {
        leading = Gauge.builder().name("fulcrum_discovery_leader")
                .help("1 while this member runs discovery (it leads), else 0").register(registry);
        servers = Gauge.builder().name("fulcrum_discovery_servers").help("servers of a discovered group")
                .labelNames(GROUP).register(registry);
        lastSuccess = Gauge.builder().name("fulcrum_discovery_last_success_timestamp_seconds")
                .help("when a resolver last answered for the group (unix time; 0: not yet on this leader)")
                .labelNames(GROUP).register(registry);
        lastError = Gauge.builder().name("fulcrum_discovery_last_error_timestamp_seconds")
                .help("when a resolution or its commit last failed (unix time; 0: never on this leader)")
                .labelNames(GROUP).register(registry);
        holding = Gauge.builder().name("fulcrum_discovery_holding")
                .help("1 while the group's servers are held: the resolver fails or the empty answer is younger than the hold time")
                .labelNames(GROUP).register(registry);
        failures = Counter.builder().name("fulcrum_discovery_failures_total")
                .help("resolutions no resolver answered (timeouts, SERVFAIL, refused)").labelNames(GROUP).register(registry);
        commits = Counter.builder().name("fulcrum_discovery_commits_total")
                .help("changes of a group's servers committed by discovery").labelNames(GROUP).register(registry);
    }

    void leading(boolean leads) {
        leading.set(leads ? 1 : 0);
    }

    void publish(String group, SourceState state, int serverCount, boolean held) {
        servers.labelValues(group).set(serverCount);
        lastSuccess.labelValues(group).set(state.lastSuccessMs() / 1000.0);
        lastError.labelValues(group).set(state.lastErrorMs() / 1000.0);
        holding.labelValues(group).set(held ? 1 : 0);
    }

    void failure(String group) {
        failures.labelValues(group).inc();
    }

    void commit(String group) {
        commits.labelValues(group).inc();
    }

    void forget(String group) {
        for (var metric : new io.prometheus.metrics.core.metrics.StatefulMetric<?, ?>[] {servers, lastSuccess, lastError, holding,
                failures, commits}) {
            metric.remove(group);
        }
    }
}
