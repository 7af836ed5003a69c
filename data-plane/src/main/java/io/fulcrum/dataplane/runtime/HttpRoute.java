package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.accesslog.AccessEntry;
import io.fulcrum.dataplane.accesslog.AccessLogFormat;
import io.fulcrum.dataplane.accesslog.AccessLogWriter;
import io.fulcrum.dataplane.metrics.HttpRouteStats;
import java.util.Map;

/**
 * What a {@code protocol http} listener needs besides its {@link Route}, for one applied config.
 * Immutable.
 *
 * @param accessLog  null when the listener does not log
 * @param groupStats the request counters of this listener per server group it can reach
 * @param unrouted   the counters of requests answered before a server group was chosen
 */
public record HttpRoute(HttpSettings settings, HttpRouter router, AccessLogWriter accessLog,
        AccessLogFormat accessLogFormat, Map<String, HttpRouteStats> groupStats, HttpRouteStats unrouted) {

    public HttpRoute {
        groupStats = Map.copyOf(groupStats);
    }

    /** The counters for requests answered by {@code group}; {@link #unrouted()} for null. */
    public HttpRouteStats stats(String group) {
        HttpRouteStats stats = group == null ? null : groupStats.get(group);
        return stats != null ? stats : unrouted;
    }

    public boolean logs() {
        return accessLog != null;
    }

    /** Renders and queues one access-log line; a no-op when the listener does not log. */
    public void log(AccessEntry entry) {
        if (accessLog != null) {
            accessLog.write(accessLogFormat.render(entry));
        }
    }
}
