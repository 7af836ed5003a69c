package io.fulcrum.dataplane.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.Snapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What reaches the applied-config listener (the last-good store), and what Hello reports after a cold start. */
@Timeout(10)
class SnapshotApplierTest {
    private final FakeNode node = new FakeNode();
    private final List<Long> saved = new ArrayList<>();
    private final SyncMetrics metrics = new SyncMetrics(node.metrics(), () -> 1, () -> 0);

    @Test
    void onlyAppliedSnapshotsReachTheListener() {
        SnapshotApplier applier = new SnapshotApplier(node, metrics, "", config -> saved.add(config.getVersion()));
        assertEquals(DataPlaneMessage.MessageCase.ACK, applier.answer(snapshot("c1", 5)).getMessageCase());
        node.rejectNext = true;
        assertEquals(DataPlaneMessage.MessageCase.NACK, applier.answer(snapshot("c1", 6)).getMessageCase());
        applier.answer(snapshot("c1", 4)); // older: ignored
        applier.answer(snapshot("c1", 7));
        assertEquals(List.of(5L, 7L), saved);
    }

    @Test
    void aConfigLoadedFromDiskKeepsOlderSnapshotsOfItsClusterOutButNotAnotherCluster() {
        node.applied = 12; // applied from disk before the client started
        SnapshotApplier applier = new SnapshotApplier(node, metrics, "c1", config -> saved.add(config.getVersion()));
        assertEquals("c1", applier.appliedCluster());
        assertEquals(12, applier.answer(snapshot("c1", 11)).getAck().getVersion(), "never backwards");
        assertEquals(List.of(), saved);
        assertEquals(3, applier.answer(snapshot("c2", 3)).getAck().getVersion(), "another cluster takes over");
        assertEquals("c2", applier.appliedCluster());
        assertEquals(List.of(3L), saved);
    }

    @Test
    void aListenerThatThrowsDoesNotCostTheAck() {
        SnapshotApplier applier = new SnapshotApplier(node, metrics, "", config -> {
            throw new IllegalStateException("disk on fire");
        });
        assertEquals(5, applier.answer(snapshot("c1", 5)).getAck().getVersion());
    }

    @Test
    void aDrainingNodeAnswersWithTheVersionItRunsInsteadOfANack() {
        SnapshotApplier applier = new SnapshotApplier(node, metrics, "", config -> saved.add(config.getVersion()));
        applier.answer(snapshot("c1", 5));
        node.draining = true;
        node.rejectNext = true; // what the draining node's apply would say
        DataPlaneMessage answer = applier.answer(snapshot("c1", 6));
        assertEquals(DataPlaneMessage.MessageCase.ACK, answer.getMessageCase());
        assertEquals(5, answer.getAck().getVersion());
        assertEquals(List.of(5L), saved);
    }

    private static Snapshot snapshot(String cluster, long version) {
        return Snapshot.newBuilder().setClusterId(cluster).setVersion(version).setNonce("n" + version)
                .setConfig(Config.getDefaultInstance().toByteString()).build();
    }

    private static final class FakeNode implements SyncedNode {
        private final PrometheusRegistry registry = new PrometheusRegistry();
        private final HealthRegistry health = new HealthRegistry("dp1", Clock.systemUTC());
        long applied;
        boolean rejectNext;
        boolean draining;

        @Override
        public boolean draining() {
            return draining;
        }

        @Override
        public String nodeId() {
            return "dp1";
        }

        @Override
        public long appliedVersion() {
            return applied;
        }

        @Override
        public boolean hasAppliedConfig() {
            return applied > 0;
        }

        @Override
        public ApplyResult apply(Config config) {
            if (rejectNext) {
                rejectNext = false;
                return ApplyResult.rejected(config.getVersion(), "cannot bind");
            }
            applied = config.getVersion();
            return ApplyResult.applied(config.getVersion());
        }

        @Override
        public long openConnections() {
            return 0;
        }

        @Override
        public HealthRegistry health() {
            return health;
        }

        @Override
        public PrometheusRegistry metrics() {
            return registry;
        }
    }
}
