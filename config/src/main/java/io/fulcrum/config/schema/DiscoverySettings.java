package io.fulcrum.config.schema;

import io.fulcrum.proto.v1.ServerGroup;
import java.util.List;

/**
 * A discovered server group's discovery parameters with their defaults filled in. Immutable.
 *
 * @param resolvers empty: the system resolver
 */
public record DiscoverySettings(DiscoverySource source, List<HostPort> resolvers, int intervalMs, int timeoutMs,
        int holdEmptyMs) {

    /** The settings of {@code group}, or null when its servers are not discovered. */
    public static DiscoverySettings of(ServerGroup group) {
        if (group.getDiscovery().isEmpty()) {
            return null;
        }
        return new DiscoverySettings(DiscoverySource.parse(group.getDiscovery()),
                List.copyOf(ResolverList.addresses(group.getDiscoveryResolver())),
                orDefault(group.getDiscoveryIntervalMs(), Schema.DEFAULT_DISCOVERY_INTERVAL_MS),
                orDefault(group.getDiscoveryTimeoutMs(), Schema.DEFAULT_DISCOVERY_TIMEOUT_MS),
                orDefault(group.getDiscoveryHoldEmptyMs(), Schema.DEFAULT_DISCOVERY_HOLD_EMPTY_MS));
    }

    private static int orDefault(int value, int defaultValue) {
        return value == 0 ? defaultValue : value;
    }
}
