package io.fulcrum.dataplane.sync;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/** The sync side of a data plane's /metrics. */
final class SyncMetrics {
    final Counter snapshots;
    final Histogram applySeconds;

    SyncMetrics(PrometheusRegistry registry, DoubleSupplier connected, DoubleSupplier secondsSinceContact) {
        snapshots = Counter.builder().name("fulcrum_sync_snapshots_total")
                .help("snapshots received from the control plane, by result (applied, rejected, ignored)")
                .labelNames("result").register(registry);
        applySeconds = Histogram.builder().name("fulcrum_sync_apply_seconds").help("time to apply a received snapshot")
                .classicOnly().classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5).register(registry);
        GaugeWithCallback.builder().name("fulcrum_sync_connected")
                .help("1 while a control-plane stream is established, 0 while serving the last config without one")
                .callback(callback -> callback.call(connected.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("fulcrum_sync_seconds_since_contact")
                .help("seconds since the last message from a control plane (-1 before the first); a member answers every "
                        + "heartbeat, so while connected this stays below the heartbeat interval (2 s)")
                .callback(callback -> callback.call(secondsSinceContact.getAsDouble())).register(registry);
    }
}
