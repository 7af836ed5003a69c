package io.fulcrum.dataplane.vip;

import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.VrrpState;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;

/** The VIP side of a data plane's /metrics, read from the supervisor's statuses at scrape time. */
final class VipMetrics {
    private VipMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<List<VipStatus>> statuses) {
        GaugeWithCallback.builder().name("fulcrum_vip_state")
                .help("VRRP state of this node for each VIP it takes part in: 1 for the current state, 0 for the others")
                .labelNames("vip", "state")
                .callback(cb -> {
                    for (VipStatus status : statuses.get()) {
                        for (VrrpState state : VrrpState.values()) {
                            if (state != VrrpState.VRRP_STATE_UNSPECIFIED && state != VrrpState.UNRECOGNIZED) {
                                cb.call(state == status.getState() ? 1 : 0, status.getVip(), name(state));
                            }
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("fulcrum_vip_stale")
                .help("1 while this node runs an older config than another node of the VIP (its priority is lowered)")
                .labelNames("vip")
                .callback(cb -> statuses.get().forEach(s -> cb.call(s.getStale() ? 1 : 0, s.getVip()))).register(registry);
        CounterWithCallback.builder().name("fulcrum_vip_transitions_total")
                .help("VRRP state changes of this node for each VIP since the process started")
                .labelNames("vip")
                .callback(cb -> statuses.get().forEach(s -> cb.call(s.getTransitions(), s.getVip()))).register(registry);
    }

    static String name(VrrpState state) {
        return state.name().substring("VRRP_STATE_".length()).toLowerCase(java.util.Locale.ROOT);
    }
}
