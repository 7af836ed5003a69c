package io.fulcrum.controlplane.sync;

import com.google.protobuf.ByteString;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current config, serialized once per version and shared by every stream (an xDS control
 * plane that serializes per stream spends its CPU there). Only the latest version is kept.
 */
final class SnapshotCache {
    private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

    /** A serialized config. */
    record Published(long version, String clusterId, ByteString config) {
    }

    private final ClusterStateMachine state;
    private final SyncMetrics metrics;
    private volatile Published published = new Published(0, "", ByteString.EMPTY);

    SnapshotCache(ClusterStateMachine state, SyncMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    /** The latest config this member applied, serialized. */
    Published current() {
        ConfigModel model = state.model();
        Published latest = published;
        if (latest.version() == model.version() && latest.clusterId().equals(model.clusterId())) {
            return latest;
        }
        synchronized (this) {
            latest = published;
            if (latest.version() != model.version() || !latest.clusterId().equals(model.clusterId())) {
                latest = new Published(model.version(), model.clusterId(), model.toProto().toByteString());
                published = latest;
                metrics.snapshotBytes.set(latest.config().size());
                if (latest.config().size() > GrpcSetup.MAX_MESSAGE_BYTES * 3L / 4) {
                    log.warn("the config of version {} is {} bytes, over 75% of the {}-byte message limit", model.version(),
                            latest.config().size(), GrpcSetup.MAX_MESSAGE_BYTES);
                }
            }
            return latest;
        }
    }
}
