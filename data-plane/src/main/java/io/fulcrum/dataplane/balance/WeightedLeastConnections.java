package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weighted least connections: the available candidate with the smallest
 * {@code (active + 1) / weight}. Counting the new connection (+1) makes an idle group fill by
 * weight rather than by list order. Ties go round robin: the scan starts one further each pick.
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
        for (int i = 0; i < size; i++) {
            T candidate = candidates.get((start + i) % size);
            if (!Selector.usable(candidate, tried)) {
                continue;
            }
            long load = candidate.activeConnections() + 1L;
            // load / weight < bestLoad / best.weight, without division
            if (best == null || load * best.weight() < bestLoad * candidate.weight()) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best;
    }

    @Override
    public List<T> candidates() {
        return candidates;
    }
}
