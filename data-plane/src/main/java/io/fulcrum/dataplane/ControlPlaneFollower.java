package io.fulcrum.dataplane;

import io.fulcrum.dataplane.lifecycle.Drain;
import io.fulcrum.dataplane.lifecycle.LastGood;
import io.fulcrum.dataplane.lifecycle.LastGoodStart;
import io.fulcrum.dataplane.lifecycle.LastGoodStore;
import io.fulcrum.dataplane.lifecycle.LastGoodWriter;
import io.fulcrum.dataplane.sync.SyncClient;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.proto.v1.Config;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * A node following the control plane: its sync client and the writer of its last-good config.
 * It tells the control plane when the node drains and says goodbye when it leaves for good; after
 * a takeover it just stops (the node lives on in the new process).
 */
final class ControlPlaneFollower implements Drain.Observer, AutoCloseable {
    private final SyncClient client;
    private final LastGoodWriter writer;

    private ControlPlaneFollower(SyncClient client, LastGoodWriter writer) {
        this.client = client;
        this.writer = writer;
    }

    /**
     * Serves {@code taken} (the config of the process this one took over from) or else the
     * last-good config in {@code stateDir}, at once, then follows the control plane, saving every
     * config applied from it.
     */
    static ControlPlaneFollower start(DataPlane node, SyncSettings sync, Path stateDir, Optional<Config> taken) {
        Clock clock = Clock.systemUTC();
        LastGoodStore store = new LastGoodStore(stateDir, clock);
        LastGoodWriter writer = new LastGoodWriter(store, node.nodeId(), clock, node.metrics());
        String cluster;
        Optional<LastGood> resumed = Optional.empty();
        if (taken.isPresent()) {
            cluster = taken.get().getClusterId();
        } else {
            resumed = LastGoodStart.resume(store, node.nodeId(), node::apply, writer);
            cluster = resumed.map(LastGood::clusterId).orElse("");
        }
        SyncClient client = SyncClient.start(node, sync, clock, new SecureRandom(), cluster, writer::save);
        node.addReadinessNote(client::disconnectedNote);
        resumed.ifPresent(lastGood -> node.addReadinessNote(
                () -> client.hasReachedControlPlane() ? null : LastGoodStart.readinessNote(lastGood)));
        return new ControlPlaneFollower(client, writer);
    }

    /** The drain began: report it now rather than at the next heartbeat. */
    @Override
    public void draining() {
        client.heartbeatNow();
    }

    /** The node leaves for good: the control plane forgets it instead of listing it DISCONNECTED. */
    @Override
    public void drained(Drain.Outcome outcome) {
        client.leave(outcome.describe());
        writer.close();
    }

    /** Stops following without a goodbye (a takeover: the node goes on in the new process). */
    @Override
    public void close() {
        client.close();
        writer.close();
    }
}
