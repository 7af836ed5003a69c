package io.fulcrum.controlplane.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Script;
import io.fulcrum.controlplane.internal.Bootstrap;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.internal.NodeForgotten;
import io.fulcrum.controlplane.internal.NodeObservation;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.proto.v1.Batch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ClusterStateMachineTest {

    private static byte[] batch(String script, String requestId) {
        Batch batch = Script.parse(script).toBatch().toBuilder().setRequestId(requestId).build();
        return LogEntry.newBuilder().setBatch(batch).setProposedUnixMs(1).build().toByteArray();
    }

    private static List<byte[]> log() {
        List<byte[]> log = new ArrayList<>();
        log.add(LogEntry.newBuilder().setBootstrap(Bootstrap.newBuilder().setClusterId("c-1").setPeerToken("t")).build().toByteArray());
        log.add(LogEntry.newBuilder().setMember(MemberInfo.newBuilder().setId("cp1").setRaftAddress("a:1").setApiAddress("a:2"))
                .build().toByteArray());
        log.add(batch("add upstream u1\nadd upstream u2", "r1"));
        log.add(batch("add upstream u1", "r2"));
        log.add(batch("add upstream u3", "r1"));
        log.add(batch("remove upstream u2", ""));
        log.add(LogEntry.newBuilder().setBootstrap(Bootstrap.newBuilder().setClusterId("c-2")).build().toByteArray());
        return log;
    }

    @Test
    void theSameLogGivesTheSameStateAndVersionsAreRaftIndexes() {
        ClusterStateMachine a = new ClusterStateMachine();
        ClusterStateMachine b = new ClusterStateMachine();
        List<Object> results = new ArrayList<>();
        long index = 1;
        for (byte[] entry : log()) {
            results.add(a.apply(entry, index));
            b.apply(entry, index);
            index++;
        }
        assertEquals(a.model(), b.model());
        assertArrayEquals(a.snapshot(), b.snapshot());
        assertEquals("c-1", a.model().clusterId(), "the first bootstrap wins");
        assertEquals(6, a.model().version(), "version = index of the last change");
        assertEquals(BatchOutcome.applied(3, ((BatchOutcome) results.get(2)).changes()), results.get(2));
        assertTrue(((BatchOutcome) results.get(3)).rejected(), "u1 exists");
        assertEquals(ClusterStateMachineTest.duplicateOf(3), results.get(4), "r1 again: not applied twice");
        assertEquals(List.of("u1"), a.model().list(io.fulcrum.config.schema.Kind.UPSTREAM).stream()
                .map(m -> ((io.fulcrum.proto.v1.Upstream) m).getName()).toList());
        assertEquals(List.of(6L), a.history().since(3).stream().map(e -> e.getVersion()).toList());
    }

    private static BatchOutcome duplicateOf(long version) {
        return BatchOutcome.duplicate(version);
    }

    @Test
    void aSnapshotRestoresEverythingAReplicaNeeds() {
        ClusterStateMachine source = new ClusterStateMachine();
        long index = 1;
        for (byte[] entry : log()) {
            source.apply(entry, index++);
        }
        ClusterStateMachine restored = new ClusterStateMachine();
        List<Long> seen = new ArrayList<>();
        restored.addListener((model, event) -> seen.add(model.version()));
        restored.restore(source.snapshot());
        assertArrayEquals(source.snapshot(), restored.snapshot());
        assertEquals(3L, restored.versionOfRequest("r1"));
        assertEquals(source.members(), restored.members());
        assertEquals(List.of(6L), seen, "listeners learn the restored model");
        // entries after the snapshot apply the same way on both
        byte[] next = batch("add upstream u9", "r9");
        source.apply(next, 8);
        restored.apply(next, 8);
        assertEquals(source.model(), restored.model());
    }

    @Test
    void aNodeIsForgottenOnlyIfItDidNotReportSinceTheDecision() {
        ClusterStateMachine machine = new ClusterStateMachine();
        machine.apply(observed("dp1", 1000, false), 1);
        machine.apply(observed("dp2", 1000, false), 2);
        machine.apply(observed("dp2", 2000, true), 3); // dp2 came back after the leader decided
        assertEquals(Boolean.TRUE, machine.apply(forgotten("dp1", 1000), 4));
        assertEquals(Boolean.FALSE, machine.apply(forgotten("dp2", 1000), 5));
        assertEquals(Boolean.FALSE, machine.apply(forgotten("dp9", 1000), 6));
        assertEquals(List.of("dp2"), List.copyOf(machine.observed().nodes().keySet()));
        ClusterStateMachine restored = new ClusterStateMachine();
        restored.restore(machine.snapshot());
        assertEquals(List.of("dp2"), List.copyOf(restored.observed().nodes().keySet()));
    }

    private static byte[] observed(String node, long lastSeen, boolean connected) {
        return LogEntry.newBuilder().setObserved(ObservedUpdate.newBuilder().addNodes(NodeObservation.newBuilder()
                .setNodeId(node).setConnected(connected).setLastSeenUnixMs(lastSeen))).build().toByteArray();
    }

    private static byte[] forgotten(String node, long lastSeen) {
        return LogEntry.newBuilder().setNodeForgotten(NodeForgotten.newBuilder().setNodeId(node).setLastSeenUnixMs(lastSeen)
                .setBy("test")).build().toByteArray();
    }
}
