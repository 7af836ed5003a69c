package io.fulcrum.dataplane.lifecycle;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The last-good side of a data plane's /metrics. */
final class LastGoodMetrics {
    final Counter writes;
    final Histogram writeSeconds;
    final Gauge savedVersion;
    final Gauge loadedVersion;

    LastGoodMetrics(PrometheusRegistry registry) {
        writes = Counter.builder().name("fulcrum_lastgood_writes_total")
                .help("saves of the applied config to the state directory, by result (ok, failed)")
                .labelNames("result").register(registry);
        writes.labelValues("ok");
        writes.labelValues("failed");
        writeSeconds = Histogram.builder().name("fulcrum_lastgood_write_seconds")
                .help("time to save the applied config (serialize, write, fsync, rename), off the sync thread")
                .classicOnly().classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5).register(registry);
        savedVersion = Gauge.builder().name("fulcrum_lastgood_saved_version")
                .help("version of the config in the last-good file, as this process last wrote or loaded it; 0 for none")
                .register(registry);
        loadedVersion = Gauge.builder().name("fulcrum_lastgood_loaded_version")
                .help("version of the last-good config loaded from disk and applied at start; 0 when none was")
                .register(registry);
    }
}
