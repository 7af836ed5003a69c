package io.fulcrum.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a fault run recorded, and the checkers over it (issue 22, item 2). Every checker returns
 * its violations (empty: it holds), so a test of the checker can feed it a planted bug.
 * Thread-safe.
 */
final class FaultHistory {
    /** How a write ended for its client. */
    enum Outcome {
        /** Acknowledged: it must be in the final config. */
        OK,
        /** Refused as never reaching a leader's log (UNAVAILABLE): it must not be in the final config. */
        RETRYABLE,
        /** Outcome unknown (UNKNOWN, or the client's deadline): either way is fine. */
        UNKNOWN,
        /** Refused for another reason (e.g. the model refused it): must not be in the final config. */
        FAILED
    }

    private final Map<String, Outcome> writes = new TreeMap<>();
    /** Outcomes of writes already checked and forgotten, by kind. */
    private final Map<Outcome, Integer> forgotten = new TreeMap<>();
    /** node → version → digest of the config it had applied under that version. */
    private final Map<String, Map<Long, String>> samples = new TreeMap<>();

    synchronized void write(String name, Outcome outcome) {
        writes.put(name, outcome);
    }

    synchronized void sample(String node, long version, String digest) {
        samples.computeIfAbsent(node, n -> new TreeMap<>()).put(version, digest);
    }

    synchronized Map<Outcome, Integer> counts() {
        Map<Outcome, Integer> counts = new TreeMap<>(forgotten);
        writes.values().forEach(o -> counts.merge(o, 1, Integer::sum));
        return counts;
    }

    /**
     * Checks the writes recorded so far against {@code committed} and forgets them, so that the
     * run can remove them from the config (which would otherwise grow for as long as the run).
     * The writer must be held while the committed set is read and this runs.
     */
    synchronized List<String> checkAndForgetWrites(Set<String> committed) {
        List<String> violations = checkWrites(committed);
        writes.keySet().forEach(name -> forgotten.merge(writes.get(name), 1, Integer::sum));
        writes.clear();
        return violations;
    }

    /** Acknowledged writes missing from {@code committed}, and refused ones present in it. */
    synchronized List<String> checkWrites(Set<String> committed) {
        List<String> violations = new ArrayList<>();
        writes.forEach((name, outcome) -> {
            if (outcome == Outcome.OK && !committed.contains(name)) {
                violations.add("acknowledged write " + name + " is not in the final config");
            }
            if ((outcome == Outcome.RETRYABLE || outcome == Outcome.FAILED) && committed.contains(name)) {
                violations.add("write " + name + " was answered " + outcome + " but is in the final config");
            }
        });
        return violations;
    }

    /** Each node's applied versions (in the order it applied them) must increase. */
    static List<String> checkIncreasing(Map<String, List<Long>> applied) {
        List<String> violations = new ArrayList<>();
        applied.forEach((node, versions) -> {
            for (int i = 1; i < versions.size(); i++) {
                if (versions.get(i) <= versions.get(i - 1)) {
                    violations.add(node + " applied version " + versions.get(i) + " after " + versions.get(i - 1));
                }
            }
        });
        return violations;
    }

    /** No two nodes ever applied different configs under one version. */
    synchronized List<String> checkOneConfigPerVersion() {
        List<String> violations = new ArrayList<>();
        Map<Long, String> seen = new HashMap<>();
        Map<Long, String> seenBy = new HashMap<>();
        samples.forEach((node, byVersion) -> byVersion.forEach((version, digest) -> {
            String earlier = seen.putIfAbsent(version, digest);
            if (earlier == null) {
                seenBy.put(version, node);
            } else if (!earlier.equals(digest)) {
                violations.add(node + " and " + seenBy.get(version) + " applied different configs as version " + version);
            }
        }));
        return violations;
    }

    /** Every member holds the same config at the end. */
    static List<String> checkMembersAgree(Map<String, String> digestByMember) {
        if (digestByMember.values().stream().distinct().count() <= 1) {
            return List.of();
        }
        return List.of("members end with different configs: " + digestByMember);
    }
}
