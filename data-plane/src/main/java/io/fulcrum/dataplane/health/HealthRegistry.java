package io.fulcrum.dataplane.health;

import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.ServerHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every server of the applied config, as this node sees it, and the listeners told
 * about changes (the sync client reports them to the control plane).
 *
 * <p>Thread-safe. Only servers of the applied config are listed and reported; a server that
 * survives a config change (same group, name and address) keeps its state.
 */
public final class HealthRegistry {
    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);

    private final String nodeId;
    private final Clock clock;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<ServerKey, HealthStatus> current = Map.of();

    public HealthRegistry(String nodeId, Clock clock) {
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** Adds a listener told about every later transition (on the loop that saw it). */
    public void addListener(HealthListener listener) {
        listeners.add(listener);
    }

    public void removeListener(HealthListener listener) {
        listeners.remove(listener);
    }

    /** The health of every server of the applied config, in config order; empty before any config. */
    public List<ServerHealth> snapshot() {
        List<ServerHealth> all = new ArrayList<>();
        for (HealthStatus status : current.values()) {
            all.add(status.toProto());
        }
        return all;
    }

    /** The health of one server of the applied config, if it exists. */
    public Optional<ServerHealth> find(String group, String server) {
        for (HealthStatus status : current.values()) {
            if (status.key().group().equals(group) && status.key().server().equals(server)) {
                return Optional.of(status.toProto());
            }
        }
        return Optional.empty();
    }

    /** The statuses of the applied config (for metrics), in config order. */
    public Collection<HealthStatus> statuses() {
        return current.values();
    }

    /** The status the next config should use for {@code key}: the current one if it exists, else a new UNKNOWN one. */
    public HealthStatus prepare(ServerKey key) {
        HealthStatus existing = current.get(key);
        return existing != null ? existing : new HealthStatus(key, clock.millis());
    }

    /** Makes {@code statuses} the servers of the applied config (called when a config is swapped in). */
    public void install(Collection<HealthStatus> statuses) {
        Map<ServerKey, HealthStatus> next = new LinkedHashMap<>();
        for (HealthStatus status : statuses) {
            next.put(status.key(), status);
        }
        current = Collections.unmodifiableMap(next);
    }

    /** Counts one check result and reports a resulting transition. */
    public void record(HealthStatus status, CheckResult result, int up, int down) {
        HealthState before = status.record(result, up, down, clock.millis());
        if (before != null) {
            announce(status, before);
        }
    }

    /** Sets a state directly (servers of a group without health checks are UP). */
    public void force(HealthStatus status, HealthState state, String why) {
        HealthState before = status.force(state, why, clock.millis());
        if (before != null) {
            announce(status, before);
        }
    }

    private void announce(HealthStatus status, HealthState before) {
        if (current.get(status.key()) != status) {
            return; // a server of a config that is no longer applied
        }
        ServerHealth health = status.toProto();
        log.info("server {} is {}: {}", status.key(), name(health.getState()), health.getReason());
        HealthTransition transition = HealthTransition.newBuilder()
                .setNodeId(nodeId).setHealth(health).setPrevious(before).build();
        for (HealthListener listener : listeners) {
            try {
                listener.onTransition(transition);
            } catch (RuntimeException e) {
                log.warn("health listener {} failed", listener, e);
            }
        }
    }

    /** UP, DOWN or UNKNOWN. */
    public static String name(HealthState state) {
        return state.name().substring("HEALTH_STATE_".length());
    }
}
