package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each checker of the fault suite fails on the bug it exists for (planted here), and passes without it. */
class FaultHistoryTest {
    @Test
    void anAcknowledgementSentBeforeCommitIsALostWrite() {
        FaultHistory history = new FaultHistory();
        history.write("w1", FaultHistory.Outcome.OK);
        history.write("w2", FaultHistory.Outcome.OK); // acknowledged, then never committed
        history.write("w3", FaultHistory.Outcome.UNKNOWN);
        assertEquals(List.of("acknowledged write w2 is not in the final config"), history.checkWrites(Set.of("w1")));
        assertEquals(List.of(), history.checkWrites(Set.of("w1", "w2", "w3")));
    }

    @Test
    void aRetryableAnswerForACommittedWriteIsCaught() {
        FaultHistory history = new FaultHistory();
        history.write("w1", FaultHistory.Outcome.RETRYABLE);
        assertEquals(List.of("write w1 was answered RETRYABLE but is in the final config"), history.checkWrites(Set.of("w1")));
        assertEquals(List.of(), history.checkWrites(Set.of()));
    }

    @Test
    void aDataPlaneThatAppliesAnOlderSnapshotGoesBackwards() {
        assertEquals(List.of("dp2 applied version 7 after 9"),
                FaultHistory.checkIncreasing(Map.of("dp1", List.of(3L, 5L, 9L), "dp2", List.of(3L, 9L, 7L))));
        assertEquals(List.of(), FaultHistory.checkIncreasing(Map.of("dp1", List.of(3L, 5L, 9L))));
    }

    @Test
    void twoConfigsUnderOneVersionAreCaught() {
        FaultHistory history = new FaultHistory();
        history.sample("dp1", 5, "aaa");
        history.sample("dp2", 5, "bbb");
        history.sample("dp2", 6, "ccc");
        assertEquals(List.of("dp2 and dp1 applied different configs as version 5"), history.checkOneConfigPerVersion());
    }

    @Test
    void membersThatDisagreeAreCaught() {
        assertEquals(1, FaultHistory.checkMembersAgree(Map.of("cp1", "a", "cp2", "a", "cp3", "b")).size());
        assertEquals(List.of(), FaultHistory.checkMembersAgree(Map.of("cp1", "a", "cp2", "a")));
    }
}
