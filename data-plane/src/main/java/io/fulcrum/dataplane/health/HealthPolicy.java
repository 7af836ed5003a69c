package io.fulcrum.dataplane.health;

import io.fulcrum.proto.v1.HealthCheckProtocol;
import io.fulcrum.proto.v1.ServerGroup;

/**
 * A server group's health-check parameters.
 *
 * @param timeoutMs how long one check may take
 * @param periodMs  pause between the end of one check and the start of the next
 * @param up        consecutive successes that mark a server UP
 * @param down      consecutive failures that mark a server DOWN
 * @param active    false for protocol none: no checks, servers count as UP
 */
public record HealthPolicy(int timeoutMs, int periodMs, int up, int down, boolean active) {

    public static HealthPolicy of(ServerGroup group) {
        return new HealthPolicy(group.getTimeoutMs(), group.getPeriodMs(), group.getUp(), group.getDown(),
                group.getProtocol() != HealthCheckProtocol.HEALTH_CHECK_PROTOCOL_NONE);
    }
}
