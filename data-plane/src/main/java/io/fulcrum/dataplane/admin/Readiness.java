package io.fulcrum.dataplane.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The conditions of {@code /ready}: the node is ready when every registered check holds. Thread-safe. */
public final class Readiness {
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

    public void add(ReadinessCheck check) {
        checks.add(check);
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
