package io.fulcrum.dataplane.lifecycle;

import io.fulcrum.proto.v1.Config;
import java.util.Objects;

/**
 * One saved config: what a node applied last, as {@link LastGoodFile} stores it.
 *
 * @param nodeId        the node that wrote it
 * @param clusterId     the control-plane cluster the config came from ({@code config.getClusterId()})
 * @param version       the config's version ({@code config.getVersion()})
 * @param savedAtMillis when it was written, Unix milliseconds
 * @param config        the config, cluster id and version included
 */
public record LastGood(String nodeId, String clusterId, long version, long savedAtMillis, Config config) {
    public LastGood {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(config, "config");
    }

    /** The record of {@code config} (its own cluster id and version) as node {@code nodeId} saves it now. */
    public static LastGood of(String nodeId, Config config, long savedAtMillis) {
        return new LastGood(nodeId, config.getClusterId(), config.getVersion(), savedAtMillis, config);
    }
}
