package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * nginx's smooth weighted round robin: over one cycle every candidate is picked exactly its
 * weight (reduced by the weights' gcd) times, spread out rather than in runs. The cycle is
 * precomputed when built; each node starts at a random position so that nodes behind one VIP do
 * not all send their first connections to the same server. Unavailable candidates are skipped
 * and their turns consumed, so the available ones share the traffic exactly by weight. Weight 0
 * never appears in the cycle.
 *
 * <p>Very large groups (cycle cost above {@link #MAX_PRECOMPUTED_STEPS}) run the same algorithm
 * one step per pick under a lock instead of holding a huge precomputed cycle.
 */
public final class SmoothWeightedRoundRobin<T extends Candidate> implements Selector<T> {
    /** Upper bound of candidates × cycle length for precomputing. */
    static final long MAX_PRECOMPUTED_STEPS = 1L << 25;

    private final List<T> candidates;
    private final int[] weights;
    private final int[] order;
    private final AtomicLong next;
    private final int[] current;

    public SmoothWeightedRoundRobin(List<T> candidates, Random random) {
        this(candidates, random, MAX_PRECOMPUTED_STEPS);
    }

    SmoothWeightedRoundRobin(List<T> candidates, Random random, long maxPrecomputedSteps) {
        this.candidates = List.copyOf(candidates);
        this.weights = reduce(this.candidates.stream().mapToInt(Candidate::weight).toArray());
        long cycle = sum(weights);
        boolean precompute = cycle * Math.max(1, weights.length) <= maxPrecomputedSteps;
        this.order = precompute ? order(weights) : null;
        this.current = precompute ? null : new int[weights.length];
        this.next = new AtomicLong(cycle == 0 ? 0 : random.nextInt((int) Math.min(cycle, Integer.MAX_VALUE)));
        if (!precompute) {
            for (long i = next.get() % 4096; i > 0; i--) {
                stepOnline(List.of(), false);
            }
        }
    }

    /**
     * One full cycle of nginx's algorithm over {@code weights} (already reduced): each step adds
     * every weight to its running value, picks the largest (first on ties) and subtracts the total
     * from it.
     */
    public static int[] order(int[] weights) {
        int total = (int) sum(weights);
        int[] running = new int[weights.length];
        int[] order = new int[total];
        for (int step = 0; step < total; step++) {
            int best = -1;
            for (int j = 0; j < weights.length; j++) {
                if (weights[j] == 0) {
                    continue;
                }
                running[j] += weights[j];
                if (best < 0 || running[j] > running[best]) {
                    best = j;
                }
            }
            running[best] -= total;
            order[step] = best;
        }
        return order;
    }

    @Override
    public T pick(InetAddress client, Collection<T> tried) {
        if (order == null) {
            return stepOnline(tried, true);
        }
        int length = order.length;
        if (length == 0) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            // an unusable candidate's turn is consumed, not handed to its neighbour in the cycle:
            // the usable ones then share the traffic exactly by weight
            T candidate = candidates.get(order[(int) (next.getAndIncrement() % length)]);
            if (Selector.usable(candidate, tried)) {
                return candidate;
            }
            if (i == candidates.size() && noneUsable(tried)) {
                return null;
            }
        }
        return null;
    }

    private synchronized T stepOnline(Collection<T> tried, boolean skipUnusable) {
        int best = -1;
        int total = 0;
        for (int j = 0; j < weights.length; j++) {
            if (weights[j] == 0 || (skipUnusable && !Selector.usable(candidates.get(j), tried))) {
                continue;
            }
            current[j] += weights[j];
            total += weights[j];
            if (best < 0 || current[j] > current[best]) {
                best = j;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return candidates.get(best);
    }

    private boolean noneUsable(Collection<T> tried) {
        for (T candidate : candidates) {
            if (Selector.usable(candidate, tried)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<T> candidates() {
        return candidates;
    }

    /** Length of the precomputed cycle; 0 when nothing can be picked or when stepping online. */
    int cycleLength() {
        return order == null ? 0 : order.length;
    }

    static int[] reduce(int[] weights) {
        int gcd = 0;
        for (int weight : weights) {
            gcd = gcd(gcd, Math.max(0, weight));
        }
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length && gcd > 0; i++) {
            reduced[i] = Math.max(0, weights[i]) / gcd;
        }
        return reduced;
    }

    private static long sum(int[] weights) {
        long sum = 0;
        for (int weight : weights) {
            sum += weight;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
