package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.health.HealthStatus;
import io.fulcrum.dataplane.health.ServerKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One applied config, ready for traffic: routes per listener, server groups with their selectors
 * and health checkers, and the loops they use. Never changed, only replaced as a whole; a
 * connection reads the route of its listener once, at accept. Only the health checkers have a
 * life cycle (started when this runtime is swapped in, stopped when it is swapped out).
 */
public final class Runtime {
    private static final Runtime EMPTY = new Runtime(0, Map.of(), Map.of(), Set.of());

    private final long version;
    private final Map<String, Route> routes;
    private final Map<String, BackendGroup> groups;
    private final Set<LoopKey> loopsInUse;

    Runtime(long version, Map<String, Route> routes, Map<String, BackendGroup> groups, Set<LoopKey> loopsInUse) {
        this.version = version;
        this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.loopsInUse = Set.copyOf(loopsInUse);
    }

    /** Nothing configured: no listener, no server. */
    public static Runtime empty() {
        return EMPTY;
    }

    public long version() {
        return version;
    }

    /** The routes by listener name, in config order. */
    public Map<String, Route> routes() {
        return routes;
    }

    /** The server groups by name, in config order. */
    public Map<String, BackendGroup> groups() {
        return groups;
    }

    /** Every event loop this runtime's listeners, connections and checks run on. */
    public Set<LoopKey> loopsInUse() {
        return loopsInUse;
    }

    /** The health state of every server, in config order. */
    public Collection<HealthStatus> healthStatuses() {
        List<HealthStatus> statuses = new ArrayList<>();
        for (BackendGroup group : groups.values()) {
            for (Backend backend : group.backends()) {
                statuses.add(backend.health());
            }
        }
        return statuses;
    }

    public Set<ServerKey> serverKeys() {
        Set<ServerKey> keys = new HashSet<>();
        for (BackendGroup group : groups.values()) {
            for (Backend backend : group.backends()) {
                keys.add(backend.key());
            }
        }
        return keys;
    }

    /** Where the HTTP listeners of this runtime write their access logs. */
    /** The keys of the TLS contexts this runtime's listeners use. */
    public Set<Object> tlsContextKeys() {
        Set<Object> keys = new HashSet<>();
        for (Route route : routes.values()) {
            if (route.tls() != null) {
                keys.addAll(route.tls().contextKeys());
            }
        }
        return keys;
    }

    /** The keys of the origination contexts the server groups use (for {@link RuntimeBuilder#retainTlsContextsOf}). */
    public Set<Object> originationContextKeys() {
        Set<Object> keys = new HashSet<>();
        for (BackendGroup group : groups.values()) {
            if (group.tls() != null) {
                keys.add(group.tls().contextKey());
            }
        }
        return keys;
    }

    public Set<String> accessLogDestinations() {
        Set<String> destinations = new HashSet<>();
        for (Route route : routes.values()) {
            if (route.http() != null && route.http().logs()) {
                destinations.add(route.http().accessLog().destination());
            }
        }
        return destinations;
    }

    public void startHealthChecks() {
        groups.values().forEach(group -> group.checker().start());
    }

    public void stopHealthChecks() {
        groups.values().forEach(group -> group.checker().stop());
    }
}
