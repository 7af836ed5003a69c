package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weighted least connections: the available candidate with the smallest
 * {@code (active + 1) / weight}. Counting the new connection (+1) makes an idle group fill by
 * weight rather than by list order. Ties go round robin: the scan starts one further each pick.
 * A candidate in slow start counts with its weight times {@link Candidate#rampFactor()}.
 */
public final class WeightedLeastConnections<T extends Candidate> implements Selector<T> {
    private final List<T> candidates;
    private final AtomicInteger rotor = new AtomicInteger();

    public WeightedLeastConnections(List<T> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    @Override
    public T pick(InetAddress client, Collection<T> tried) {
        int size = candidates.size();
        if (size == 0) {
            return null;
        }
        int start = Math.floorMod(rotor.getAndIncrement(), size);
        T best = null;
        long bestLoad = 0;
        double bestRamp = 1.0;
        for (int i = 0; i < size; i++) {
            T candidate = candidates.get((start + i) % size);
            if (!Selector.usable(candidate, tried)) {
                continue;
            }
            long load = candidate.activeConnections() + 1L;
            double ramp = candidate.rampFactor();
            if (ramp < 1.0 || (best != null && bestRamp < 1.0)) {
                // a server in slow start counts with its ramped weight
                if (best == null || load * best.weight() * bestRamp < bestLoad * candidate.weight() * ramp) {
                    best = candidate;
                    bestLoad = load;
                    bestRamp = ramp;
                }
            } else if (best == null || load * best.weight() < bestLoad * candidate.weight()) {
                // load / weight < bestLoad / best.weight, without division
                best = candidate;
                bestLoad = load;
                bestRamp = ramp;
            }
        }
        return best;
    }

    @Override
    public List<T> candidates() {
        return candidates;
    }
}
