package io.fulcrum.dataplane.balance;

import io.fulcrum.proto.v1.BalanceMethod;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Random;

/**
 * Picks a candidate for a new connection. Built once per runtime from an immutable list;
 * thread-safe: {@link #pick} may run on every event loop at once.
 *
 * @param <T> the candidate type
 */
public interface Selector<T extends Candidate> {

    /**
     * An available candidate that is not in {@code tried}, or null if there is none.
     *
     * @param client the client's address (only consistent hashing reads it)
     * @param tried  candidates already tried for this connection; usually empty
     */
    T pick(InetAddress client, Collection<T> tried);

    /** The candidates this selector chooses from, in the order it was built with. */
    List<T> candidates();

    /**
     * The selector for a balance method; {@code random} chooses the node's starting point for wrr.
     * Candidates of several priorities are tiers: the lowest value serves, the others are backups.
     */
    static <T extends Candidate> Selector<T> of(BalanceMethod method, List<T> candidates, Random random) {
        return of(method, candidates, random, false);
    }

    /**
     * As {@link #of(BalanceMethod, List, Random)}; with {@code slowStart} a candidate's
     * {@link Candidate#rampFactor()} scales its share (wrr and wlc; consistent hashing keeps each
     * client on its server and does not ramp).
     */
    static <T extends Candidate> Selector<T> of(BalanceMethod method, List<T> candidates, Random random, boolean slowStart) {
        if (PriorityTiers.needed(candidates)) {
            return new PriorityTiers<>(candidates, tier -> ofOneTier(method, tier, random, slowStart));
        }
        return ofOneTier(method, candidates, random, slowStart);
    }

    private static <T extends Candidate> Selector<T> ofOneTier(BalanceMethod method, List<T> candidates, Random random,
            boolean slowStart) {
        return switch (method) {
            case BALANCE_METHOD_WLC -> new WeightedLeastConnections<>(candidates);
            case BALANCE_METHOD_SOURCE -> new Maglev<>(candidates);
            default -> slowStart ? new SlowStart<>(new SmoothWeightedRoundRobin<>(candidates, random))
                    : new SmoothWeightedRoundRobin<>(candidates, random);
        };
    }

    /** True when {@code candidate} may be picked now. */
    static <T extends Candidate> boolean usable(T candidate, Collection<T> tried) {
        return candidate.available() && (tried.isEmpty() || !tried.contains(candidate));
    }
}
