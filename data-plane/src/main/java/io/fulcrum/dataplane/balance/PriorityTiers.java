package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Servers in priority tiers (SRV priority, HAProxy's backup servers): the tier with the lowest
 * priority value takes the connections; the next tier only while no candidate of the tiers
 * before it can be picked. Each tier has its own selector of the group's method. Thread-safe.
 */
final class PriorityTiers<T extends Candidate> implements Selector<T> {
    private final List<T> candidates;
    private final List<Selector<T>> tiers;

    PriorityTiers(List<T> candidates, Function<List<T>, Selector<T>> selectorOfTier) {
        this.candidates = List.copyOf(candidates);
        TreeMap<Integer, List<T>> byPriority = new TreeMap<>();
        for (T candidate : candidates) {
            byPriority.computeIfAbsent(candidate.priority(), p -> new ArrayList<>()).add(candidate);
        }
        this.tiers = byPriority.values().stream().map(selectorOfTier).toList();
    }

    /** True when the candidates span more than one priority. */
    static boolean needed(List<? extends Candidate> candidates) {
        return candidates.stream().mapToInt(Candidate::priority).distinct().count() > 1;
    }

    @Override
    public T pick(InetAddress client, Collection<T> tried) {
        for (Selector<T> tier : tiers) {
            T picked = tier.pick(client, tried);
            if (picked != null) {
                return picked;
            }
        }
        return null;
    }

    @Override
    public List<T> candidates() {
        return candidates;
    }
}
