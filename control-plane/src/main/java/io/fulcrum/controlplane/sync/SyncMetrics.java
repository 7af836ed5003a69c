package io.fulcrum.controlplane.sync;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The sync metrics of one control-plane member. */
public final class SyncMetrics {
    final Histogram convergence;
    final Counter nacks;
    final Counter snapshotsSent;
    final Gauge snapshotBytes;
    final Gauge streams;

    public SyncMetrics(PrometheusRegistry registry) {
        convergence = Histogram.builder().name("fulcrum_sync_convergence_seconds")
                .help("time from a config change being proposed to a data plane acknowledging it")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 5, 10, 30)
                .register(registry);
        nacks = Counter.builder().name("fulcrum_sync_nacks_total").help("snapshots rejected by data planes")
                .register(registry);
        snapshotsSent = Counter.builder().name("fulcrum_sync_snapshots_sent_total").help("snapshots pushed to data planes")
                .register(registry);
        snapshotBytes = Gauge.builder().name("fulcrum_sync_snapshot_bytes").help("size of the current serialized config")
                .register(registry);
        streams = Gauge.builder().name("fulcrum_sync_streams").help("data-plane streams connected to this member")
                .register(registry);
    }
}
