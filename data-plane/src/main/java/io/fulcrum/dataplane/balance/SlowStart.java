package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Slow start over a round-robin selector: a candidate whose {@link Candidate#rampFactor()} is f
 * below 1 keeps a picked turn with probability f and otherwise hands it to the others, so it
 * takes f of the share its weight gives it. When only ramping candidates are left, the first one
 * refused takes the connection: a ramp never refuses a client. Thread-safe.
 */
final class SlowStart<T extends Candidate> implements Selector<T> {
    private final Selector<T> inner;

    SlowStart(Selector<T> inner) {
        this.inner = inner;
    }

    @Override
    public T pick(InetAddress client, Collection<T> tried) {
        Collection<T> skip = tried;
        List<T> refused = null;
        while (true) {
            T picked = inner.pick(client, skip);
            if (picked == null) {
                return refused == null ? null : refused.get(0);
            }
            double ramp = picked.rampFactor();
            if (ramp >= 1.0 || ThreadLocalRandom.current().nextDouble() < ramp) {
                return picked;
            }
            if (refused == null) {
                refused = new ArrayList<>(2);
            }
            refused.add(picked);
            Set<T> both = new HashSet<>(tried);
            both.addAll(refused);
            skip = both;
        }
    }

    @Override
    public List<T> candidates() {
        return inner.candidates();
    }
}
