package io.fulcrum.dataplane.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** The conditions of {@code /ready}: the node is ready when every registered check holds. Thread-safe. */
public final class Readiness {
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private final List<Supplier<String>> notes = new CopyOnWriteArrayList<>();

    public void add(ReadinessCheck check) {
        checks.add(check);
    }

    /**
     * Adds something {@code /ready} reports without changing the answer (the node keeps serving
     * its config without a control plane, and says so). The supplier returns null when there is
     * nothing to say.
     */
    public void addNote(Supplier<String> note) {
        notes.add(note);
    }

    /** The notes that have something to say now. */
    public List<String> notes() {
        List<String> said = new ArrayList<>();
        for (Supplier<String> note : notes) {
            String text = note.get();
            if (text != null) {
                said.add(text);
            }
        }
        return said;
    }

    /** Why the node is not ready, one reason per failing check; empty when it is ready. */
    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            String reason = check.unreadyReason();
            if (reason != null) {
                reasons.add(reason);
            }
        }
        return reasons;
    }
}
