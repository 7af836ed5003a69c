package io.fulcrum.dataplane.health;

import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.ServerHealth;

/**
 * The health of one server as this node sees it: a small state machine over consecutive check
 * results. A new server is UNKNOWN (and takes traffic) until its first result, which decides at
 * once; after that {@code up} consecutive successes turn a DOWN server UP and {@code down}
 * consecutive failures turn an UP server DOWN. Any result of the other kind resets the run.
 *
 * <p>Thread-safe: results may arrive from several event loops; {@link #state()} is a lock-free
 * read for the connection path.
 */
public final class HealthStatus {
    private final ServerKey key;
    private volatile HealthState state = HealthState.HEALTH_STATE_UNKNOWN;
    private int successes;
    private int failures;
    private String reason = "not checked yet";
    private long latencyUs;
    private long sinceUnixMs;
    private volatile long lastCheckNanos;
    private volatile long rampSinceNanos;

    public HealthStatus(ServerKey key, long nowUnixMs) {
        this.key = key;
        this.sinceUnixMs = nowUnixMs;
    }

    public ServerKey key() {
        return key;
    }

    public HealthState state() {
        return state;
    }

    /** A server is kept out of new connections only when it is known to be DOWN. */
    public boolean isDown() {
        return state == HealthState.HEALTH_STATE_DOWN;
    }

    /**
     * Counts one result.
     *
     * @return the state before, if this result changed it; null otherwise
     */
    public synchronized HealthState record(CheckResult result, int up, int down, long nowUnixMs) {
        HealthState before = state;
        if (result.ok()) {
            successes++;
            failures = 0;
            latencyUs = result.latencyUs();
            if (before != HealthState.HEALTH_STATE_UP
                    && (before == HealthState.HEALTH_STATE_UNKNOWN || successes >= up)) {
                String why = before == HealthState.HEALTH_STATE_UNKNOWN ? "first check ok" : successes + "/" + up + " checks ok";
                return change(HealthState.HEALTH_STATE_UP, why, nowUnixMs);
            }
        } else {
            failures++;
            successes = 0;
            if (before != HealthState.HEALTH_STATE_DOWN
                    && (before == HealthState.HEALTH_STATE_UNKNOWN || failures >= down)) {
                return change(HealthState.HEALTH_STATE_DOWN, result.reason(), nowUnixMs);
            }
            if (before == HealthState.HEALTH_STATE_DOWN) {
                reason = result.reason();
            }
        }
        return null;
    }

    /** Sets the state regardless of results (a group without health checks); null if unchanged. */
    public synchronized HealthState force(HealthState target, String why, long nowUnixMs) {
        successes = 0;
        failures = 0;
        return state == target ? null : change(target, why, nowUnixMs);
    }

    private HealthState change(HealthState target, String why, long nowUnixMs) {
        HealthState before = state;
        if (before == HealthState.HEALTH_STATE_DOWN && target == HealthState.HEALTH_STATE_UP) {
            startRamp(System.nanoTime());
        }
        state = target;
        reason = why;
        sinceUnixMs = nowUnixMs;
        return before;
    }

    /** When the last active check ended (System.nanoTime), 0 if never: the next check's schedule. */
    public long lastCheckNanos() {
        return lastCheckNanos;
    }

    public void checkedAt(long nanos) {
        lastCheckNanos = nanos;
    }

    /**
     * When this server last came back (System.nanoTime): DOWN to UP here, or made able to take
     * connections again by a config (see {@code SlowStarts}); 0 if never. A slow start ramps from it.
     */
    public long rampSinceNanos() {
        return rampSinceNanos;
    }

    public void startRamp(long nanos) {
        rampSinceNanos = nanos == 0 ? 1 : nanos;
    }

    public synchronized ServerHealth toProto() {
        return ServerHealth.newBuilder()
                .setServerGroup(key.group())
                .setServer(key.server())
                .setAddress(key.address())
                .setState(state)
                .setReason(reason)
                .setLatencyUs(latencyUs)
                .setSinceUnixMs(sinceUnixMs)
                .build();
    }

    @Override
    public String toString() {
        return key + " " + state;
    }
}
