package io.fulcrum.dataplane.metrics;

import io.fulcrum.dataplane.accesslog.AccessLogWriter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The HTTP metrics of a data plane, read at scrape time from live counters. Labels stay bounded:
 * listener and server group names come from the config, status codes are counted by class.
 *
 * <pre>
 * fulcrum_http_requests_total{listener,group,code}          counter, code 1xx..5xx; group "-" when
 *                                                             Fulcrum answered before choosing one
 * fulcrum_http_upgrades_total{listener,group}              counter: connections switched to another
 *                                                             protocol (101), relayed as bytes since
 * fulcrum_http_request_duration_seconds{listener,group}      histogram: first request byte to last response byte
 * fulcrum_http_pool_idle_connections                         gauge: idle keep-alive server connections
 * fulcrum_http_access_log_lines_total{destination}           counter
 * fulcrum_http_access_log_dropped_total{destination}         counter: lines dropped, the writer was behind
 * </pre>
 */
public final class HttpMetrics {
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private HttpMetrics() {
    }

    public static void register(PrometheusRegistry registry, TrafficStats stats, IntSupplier idleConnections,
            Supplier<List<AccessLogWriter>> accessLogs) {
        CounterWithCallback.builder().name("fulcrum_http_requests").help("HTTP requests answered, by status class")
                .labelNames("listener", "group", "code")
                .callback(cb -> stats.httpRoutes().forEach(route -> {
                    for (int digit = 1; digit <= 5; digit++) {
                        cb.call(route.requests(digit), route.listener(), route.group(), CLASSES[digit - 1]);
                    }
                })).register(registry);
        CounterWithCallback.builder().name("fulcrum_http_upgrades")
                .help("HTTP connections that switched protocols (101) and are relayed as bytes")
                .labelNames("listener", "group")
                .callback(cb -> stats.httpRoutes().forEach(route -> cb.call(route.upgrades(), route.listener(),
                        route.group()))).register(registry);
        registry.register(durations(stats));
        GaugeWithCallback.builder().name("fulcrum_http_pool_idle_connections")
                .help("Idle keep-alive connections to servers, all loops")
                .callback(cb -> cb.call(idleConnections.getAsInt())).register(registry);
        CounterWithCallback.builder().name("fulcrum_http_access_log_lines").help("Access-log lines written")
                .labelNames("destination")
                .callback(cb -> accessLogs.get().forEach(w -> cb.call(w.written(), w.destination()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_http_access_log_dropped")
                .help("Access-log lines dropped because the writer fell behind")
                .labelNames("destination")
                .callback(cb -> accessLogs.get().forEach(w -> cb.call(w.dropped(), w.destination()))).register(registry);
    }

    private static Collector durations(TrafficStats stats) {
        return new Collector() {
            @Override
            public MetricSnapshot collect() {
                HistogramSnapshot.Builder histogram = HistogramSnapshot.builder()
                        .name("fulcrum_http_request_duration_seconds")
                        .help("HTTP request duration, first request byte to last response byte");
                for (HttpRouteStats route : stats.httpRoutes()) {
                    histogram.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(HttpRouteStats.BOUNDS_SECONDS,
                                    route.bucketCounts()))
                            .sum(route.sumSeconds())
                            .labels(Labels.of("listener", route.listener(), "group", route.group()))
                            .build());
                }
                return histogram.build();
            }

            @Override
            public String getPrometheusName() {
                return "fulcrum_http_request_duration_seconds";
            }
        };
    }
}
