package io.fulcrum.controlplane.discovery;

import java.time.Instant;

/**
 * What the leader knows about one group's source, as {@code list-detail server-group} and
 * {@code /metrics} show it. Immutable; each resolution yields the next one.
 *
 * @param lastSuccessMs  when a resolver last answered (an empty answer too); 0: not yet on this leader
 * @param lastErrorMs    when a resolution or its commit last failed; 0: never on this leader
 * @param lastError      what failed then; null if nothing did
 * @param emptySinceMs   when the answers became empty; 0 while they are not
 * @param failing        the last resolution failed: the servers are held
 */
record SourceState(String source, long lastSuccessMs, long lastErrorMs, String lastError, long emptySinceMs,
        boolean failing) {

    static SourceState start(String source) {
        return new SourceState(source, 0, 0, null, 0, false);
    }

    SourceState answered(long nowMs, boolean empty) {
        long since = !empty ? 0 : emptySinceMs == 0 ? nowMs : emptySinceMs;
        return new SourceState(source, nowMs, lastErrorMs, lastError, since, false);
    }

    SourceState failed(long nowMs, String error) {
        return new SourceState(source, lastSuccessMs, nowMs, error, emptySinceMs, true);
    }

    /**
     * The servers to commit after an answer, by the hold rules: a non-empty answer as it is; an
     * empty one only once it has lasted {@code holdEmptyMs}; null: keep the servers as they are.
     */
    java.util.List<DiscoveredServer> desired(java.util.List<DiscoveredServer> answer, long nowMs, int holdEmptyMs) {
        if (!answer.isEmpty()) {
            return answer;
        }
        return emptySinceMs != 0 && nowMs - emptySinceMs >= holdEmptyMs ? answer : null;
    }

    /**
     * ok; holding-error (the last resolution failed, the servers are kept); holding-empty (the
     * answer is empty, the servers are kept until the hold time ends); empty; resolving (no
     * answer yet on this leader).
     */
    String condition(int servers, int holdEmptyMs, long nowMs) {
        if (failing) {
            return "holding-error";
        }
        if (emptySinceMs != 0) {
            return nowMs - emptySinceMs >= holdEmptyMs || servers == 0 ? "empty" : "holding-empty";
        }
        return lastSuccessMs == 0 ? "resolving" : "ok";
    }

    /** The words {@code list-detail} appends after the group's discovery parameters. */
    String describe(int servers, int holdEmptyMs, long nowMs) {
        StringBuilder words = new StringBuilder("source-state ").append(condition(servers, holdEmptyMs, nowMs))
                .append(" servers ").append(servers);
        if (emptySinceMs != 0) {
            words.append(" empty-since ").append(Instant.ofEpochMilli(emptySinceMs));
        }
        words.append(" last-success ").append(lastSuccessMs == 0 ? "none" : Instant.ofEpochMilli(lastSuccessMs).toString());
        words.append(" last-error ").append(lastError == null ? "none"
                : Instant.ofEpochMilli(lastErrorMs) + " \"" + lastError.replace('"', '\'') + "\"");
        return words.toString();
    }
}
