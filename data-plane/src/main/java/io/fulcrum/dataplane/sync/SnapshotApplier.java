package io.fulcrum.dataplane.sync;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.proto.v1.Ack;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.Nack;
import io.fulcrum.proto.v1.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the snapshots of a sync stream to the node and makes each one's answer. Never
 * backwards: a snapshot of the cluster the node's config came from, at or below the applied
 * version, is not applied and is answered with an Ack of the version the node runs. Otherwise
 * the node applies it: Ack when applied, Nack with the error when not (the node keeps serving its
 * previous config). Every snapshot gets an answer, also when applying throws. Each applied config
 * is handed to an {@link AppliedConfigListener} (the last-good store), never a Nacked or ignored
 * one. Used by the sync thread only; it remembers the cluster of the applied config across streams.
 */
final class SnapshotApplier {
    private static final Logger log = LoggerFactory.getLogger(SnapshotApplier.class);

    private final SyncedNode node;
    private final SyncMetrics metrics;
    private final AppliedConfigListener listener;
    private String appliedCluster;

    /**
     * @param appliedCluster the cluster of the config the node runs before any snapshot (one
     *                       loaded from disk at start), empty for none
     * @param listener       told of each config applied from a snapshot
     */
    SnapshotApplier(SyncedNode node, SyncMetrics metrics, String appliedCluster, AppliedConfigListener listener) {
        this.node = node;
        this.metrics = metrics;
        this.appliedCluster = appliedCluster;
        this.listener = listener;
    }

    /** The cluster the applied config came from; empty before any (sent in Hello). */
    String appliedCluster() {
        return appliedCluster;
    }

    /** Applies {@code snapshot} unless it is older than the applied config: the Ack or Nack to send. */
    DataPlaneMessage answer(Snapshot snapshot) {
        long applied = node.appliedVersion();
        if (snapshot.getClusterId().equals(appliedCluster) && snapshot.getVersion() <= applied || node.draining()) {
            // never backwards, and a draining node applies nothing: answer the nonce with what the
            // node runs (a Nack would be recorded as a rejection of a version nobody rejected)
            metrics.snapshots.labelValues("ignored").inc();
            return ack(applied, snapshot.getNonce());
        }
        long started = System.nanoTime();
        Config config;
        try {
            config = Config.parseFrom(snapshot.getConfig()).toBuilder().setClusterId(snapshot.getClusterId())
                    .setVersion(snapshot.getVersion()).build();
        } catch (InvalidProtocolBufferException e) {
            metrics.snapshots.labelValues("rejected").inc();
            return nack(snapshot, "the snapshot is not a valid Config: " + e.getMessage());
        }
        ApplyResult result = apply(config);
        metrics.applySeconds.observe((System.nanoTime() - started) / 1e9);
        if (result.isApplied()) {
            appliedCluster = snapshot.getClusterId();
            metrics.snapshots.labelValues("applied").inc();
            tell(config);
            return ack(snapshot.getVersion(), snapshot.getNonce());
        }
        metrics.snapshots.labelValues("rejected").inc();
        return nack(snapshot, result.error());
    }

    private ApplyResult apply(Config config) {
        try {
            return node.apply(config);
        } catch (RuntimeException | Error e) {
            // every snapshot gets an answer: an unanswered one would stop the stream for good
            log.error("applying config version {} failed", config.getVersion(), e);
            return ApplyResult.rejected(config.getVersion(), "applying failed: " + e);
        }
    }

    private void tell(Config config) {
        try {
            listener.applied(config);
        } catch (RuntimeException e) {
            // the node applied it: its Ack must go out whatever a listener does
            log.warn("a listener of applied configs failed on version {}: {}", config.getVersion(), e.toString());
        }
    }

    private static DataPlaneMessage nack(Snapshot snapshot, String error) {
        return DataPlaneMessage.newBuilder().setNack(Nack.newBuilder().setVersion(snapshot.getVersion())
                .setNonce(snapshot.getNonce()).setError(error)).build();
    }

    private static DataPlaneMessage ack(long version, String nonce) {
        return DataPlaneMessage.newBuilder().setAck(Ack.newBuilder().setVersion(version).setNonce(nonce)).build();
    }
}
