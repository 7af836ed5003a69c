package io.fulcrum.dataplane.sync;

import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ServerConnections;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * What the sync client needs from the node it keeps in step: the package's one view of the node,
 * so that {@code sync} never depends on the package holding the node (implemented by
 * {@code io.fulcrum.dataplane.DataPlane}). The client calls every method from its own thread.
 */
public interface SyncedNode {
    /** The id sent in Hello. */
    String nodeId();

    /** The version of the applied config; 0 before any. */
    long appliedVersion();

    /** True once a config has been applied (Heartbeat's {@code ready}). */
    boolean hasAppliedConfig();

    /**
     * Applies {@code config} atomically; never throws for a bad config (it is rejected whole and
     * the running config keeps serving). Calls are serialized.
     */
    ApplyResult apply(Config config);

    /** True while the node drains before it stops (Heartbeat's {@code draining}). */
    default boolean draining() {
        return false;
    }

    /** Client connections open on all listeners. */
    long openConnections();

    /** Open connections to each server the applied config drains (Heartbeat's {@code drained_servers}). */
    /** Each listener's totals (Heartbeat's {@code listeners}). */
    default List<io.fulcrum.proto.v1.ListenerCounters> listenerCounters() {
        return List.of();
    }

    default List<ServerConnections> drainedServers() {
        return List.of();
    }

    /** Health of the servers of the applied config: the full report, and transitions as they happen. */
    HealthRegistry health();

    /** The node's own registry, where the client registers its {@code fulcrum_sync_*} metrics. */
    PrometheusRegistry metrics();
}
