package io.fulcrum.controlplane.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Script;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.config.model.ValidationException;
import io.fulcrum.controlplane.internal.HistoryRecord;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.proto.v1.Batch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ChangeHistoryTest {

    private static byte[] entry(String script, long unixMs) {
        Batch batch = Script.parse(script).toBatch().toBuilder().setPrincipal("alice").setRequestId("r" + unixMs)
                .setComment("c" + unixMs).setCommandText(script).build();
        return LogEntry.newBuilder().setBatch(batch).setProposedUnixMs(unixMs).build().toByteArray();
    }

    /** Upstreams u1..uN added one batch each, at indexes 1..N. */
    private static ClusterStateMachine withUpstreams(int n) {
        ClusterStateMachine state = new ClusterStateMachine();
        for (int i = 1; i <= n; i++) {
            state.apply(entry("add upstream u" + i, 1000 + i), i);
        }
        return state;
    }

    private static String script(ConfigModel model) {
        return String.join("\n", ScriptWriter.render(model.toProto()));
    }

    @Test
    void everyAppliedBatchKeepsWhoWhenRequestCommentAndCommand() {
        ClusterStateMachine state = withUpstreams(2);
        state.apply(entry("add upstream u1", 5000), 3);
        List<HistoryRecord> records = state.changes().records();
        assertEquals(2, records.size(), "a rejected batch is no change");
        HistoryRecord second = records.get(1);
        assertEquals(2, second.getVersion());
        assertEquals(1002, second.getCommittedUnixMs());
        assertEquals("alice", second.getBatch().getPrincipal());
        assertEquals("r1002", second.getBatch().getRequestId());
        assertEquals("c1002", second.getBatch().getComment());
        assertEquals("add upstream u2", second.getBatch().getCommandText());
        assertEquals("add upstream u2", second.getChanges(0).getCommand());
    }

    @Test
    void anyRetainedVersionIsReconstructed() {
        ClusterStateMachine state = withUpstreams(3);
        state.apply(entry("remove upstream u1", 9), 7);
        ConfigModel current = state.model();
        assertEquals(List.of("add upstream u1", "add upstream u2"), ScriptWriter.render(state.changes().configAt(2, current).toProto()));
        assertEquals(ScriptWriter.render(state.changes().configAt(3, current).toProto()),
                ScriptWriter.render(state.changes().configAt(6, current).toProto()), "a version between changes: the one before it");
        assertEquals(List.of(), ScriptWriter.render(state.changes().configAt(0, current).toProto()));
        assertThrows(ValidationException.class, () -> state.changes().configAt(8, current));
    }

    @Test
    void retentionIsBoundedAndAnOlderVersionFailsClearly() {
        ChangeHistory history = new ChangeHistory(3);
        ClusterStateMachine source = withUpstreams(5);
        source.changes().records().forEach(r -> history.record(r, source.model()));
        assertEquals(3, history.records().size());
        assertEquals(2, history.oldestVersion(), "the base moved past the two evicted changes");
        assertEquals(script(source.changes().configAt(2, source.model())), script(history.configAt(2, source.model())));
        ValidationException tooOld = assertThrows(ValidationException.class, () -> history.configAt(1, source.model()));
        assertTrue(tooOld.getMessage().contains("version 1 is older than the retained history, which starts at version 2"),
                tooOld.getMessage());
    }

    @Test
    void theHistorySurvivesASnapshot() {
        ClusterStateMachine state = withUpstreams(4);
        ClusterStateMachine restored = new ClusterStateMachine();
        restored.restore(state.snapshot());
        assertEquals(state.changes().records(), restored.changes().records());
        assertEquals(script(state.changes().configAt(2, state.model())), script(restored.changes().configAt(2, restored.model())));
        state.apply(entry("add upstream u9", 9), 9);
        restored.apply(entry("add upstream u9", 9), 9);
        assertArrayEquals(state.snapshot(), restored.snapshot(), "a restored member goes on exactly like the others");
    }

    @Test
    void aBatchThatNoLongerReplaysRestartsTheHistoryInsteadOfFailingTheApply() {
        ChangeHistory history = new ChangeHistory(1);
        ClusterStateMachine source = withUpstreams(2);
        HistoryRecord first = source.changes().records().get(0);
        // "add upstream u1" twice: the second cannot replay onto a base that has u1 already
        history.record(first, source.model());
        history.record(first, source.model());
        history.record(first, source.model());
        assertEquals(source.model().version(), history.oldestVersion());
        assertEquals(List.of(), history.records());
    }
}
