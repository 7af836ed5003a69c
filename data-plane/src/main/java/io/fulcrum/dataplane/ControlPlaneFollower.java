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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.fulcrum.dataplane.lifecycle.VipCandidacy;
import io.fulcrum.dataplane.sync.VipReporting;
import io.fulcrum.dataplane.vip.VipNode;
import io.fulcrum.dataplane.vip.VipSupervisor;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.VipStatus;

/**
 * A node following the control plane: its sync client and the writer of its last-good config.
 * It tells the control plane when the node drains and says goodbye when it leaves for good; after
 * a takeover it just stops (the node lives on in the new process).
 */
final class ControlPlaneFollower implements Drain.Observer, AutoCloseable {
    /** How long leaving the VIPs may hold a drain up. */
    private static final Duration VIP_LEAVE_MAX = Duration.ofSeconds(5);

    private final SyncClient client;
    private final LastGoodWriter writer;
    private final VipSupervisor vips;

    private ControlPlaneFollower(SyncClient client, LastGoodWriter writer, VipSupervisor vips) {
        this.client = client;
        this.writer = writer;
        this.vips = vips;
    }

    /**
     * Serves {@code taken} (the config of the process this one took over from) or else the
     * last-good config in {@code stateDir}, at once, then follows the control plane, saving every
     * config applied from it.
     */
    static ControlPlaneFollower start(DataPlane node, SyncSettings sync, Path stateDir, Optional<Config> taken,
            String keepalived) {
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
        VipSupervisor vips = VipSupervisor.start(vipNode(node, sync), keepalived, stateDir.resolve("vrrp"), node.metrics());
        SyncClient client = SyncClient.start(node, sync, clock, new SecureRandom(), cluster, writer::save, new VipReporting() {
            @Override
            public void fleet(Fleet fleet) {
                vips.fleet(fleet);
            }

            @Override
            public List<VipStatus> statuses() {
                return vips.statuses();
            }
        });
        vips.onChange(client::heartbeatNow);
        node.addReadinessNote(client::disconnectedNote);
        resumed.ifPresent(lastGood -> node.addReadinessNote(
                () -> client.hasReachedControlPlane() ? null : LastGoodStart.readinessNote(lastGood)));
        return new ControlPlaneFollower(client, writer, vips);
    }

    private static VipNode vipNode(DataPlane node, SyncSettings sync) {
        return new VipNode() {
            @Override
            public String nodeId() {
                return node.nodeId();
            }

            @Override
            public Map<String, String> labels() {
                return sync.labels();
            }

            @Override
            public Optional<Config> appliedConfig() {
                return node.appliedConfig();
            }

            @Override
            public boolean serving() {
                return node.hasAppliedConfig() && !node.draining();
            }
        };
    }

    /** Drain step 1: give the VIPs up (FAULT) and wait until another node can have taken them. */
    VipCandidacy vipCandidacy() {
        return () -> vips.leave(VIP_LEAVE_MAX);
    }

    /** The drain began: report it now rather than at the next heartbeat. */
    @Override
    public void draining() {
        client.heartbeatNow();
    }

    /** The node leaves for good: the control plane forgets it instead of listing it DISCONNECTED. */
    @Override
    public void drained(Drain.Outcome outcome) {
        vips.close();
        client.leave(outcome.describe());
        writer.close();
    }

    /** Stops following without a goodbye (a takeover: the node goes on in the new process). */
    @Override
    public void close() {
        vips.close();
        client.close();
        writer.close();
    }
}
