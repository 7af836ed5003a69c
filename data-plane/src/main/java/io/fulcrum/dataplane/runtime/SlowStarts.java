package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.health.ServerKey;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a config change starts a slow start: a server of a group that exists in both the applied
 * and the next runtime, and that takes connections in the next one but did not in the applied
 * one (added, undrained, weight raised from 0). The first config a node applies and a new group
 * start none: there is no traffic yet to protect the servers from. A server coming back UP is
 * the health checker's start ({@code HealthStatus}).
 */
public final class SlowStarts {
    private static final Logger log = LoggerFactory.getLogger(SlowStarts.class);
    private SlowStarts() {
    }

    /** Marks the servers of {@code next} that come back compared with {@code applied}; call when swapping. */
    public static void begin(Runtime applied, Runtime next, long nowNanos) {
        for (BackendGroup group : next.groups().values()) {
            BackendGroup before = applied.groups().get(group.name());
            if (before == null) {
                continue;
            }
            Map<ServerKey, Backend> previous = null;
            int started = 0;
            for (Backend backend : group.backends()) {
                if (!backend.slowStart() || backend.weight() == 0) {
                    continue;
                }
                if (previous == null) {
                    previous = new HashMap<>();
                    for (Backend old : before.backends()) {
                        previous.put(old.key(), old);
                    }
                }
                Backend old = previous.get(backend.key());
                if (old == null || old.weight() == 0) {
                    backend.health().startRamp(nowNanos);
                    started++;
                }
            }
            if (started > 0) {
                log.info("server-group {}: slow start for {} server(s) coming back", group.name(), started);
            }
        }
    }
}
