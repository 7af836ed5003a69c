package io.fulcrum.dataplane.balance;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Consistent hashing of the client address with a Maglev lookup table (Eisenbud et al., NSDI
 * 2016). The table depends only on the candidates' {@link Candidate#hashKey() hash keys} and
 * weights, never on list order, clocks or randomness, so every node builds the same table for
 * the same config and a client lands on the same server whichever node it reaches. Removing one
 * of N candidates moves about 1/N of the clients.
 *
 * <p>Weights: in each filling round a candidate earns its weight in credit and claims one slot
 * per {@code max weight} of credit, so table shares follow weights. Weight 0 takes no slot.
 *
 * <p>Unavailable candidates stay in the table (rebuilding it on every health change would move
 * clients of healthy servers too). A client whose slot belongs to an unavailable or already
 * tried candidate walks the table from its slot with a step derived from its own hash, and takes
 * the first usable owner: deterministic on every node that sees the same health, spread over the
 * remaining servers by weight, and only the clients of the failed server move.
 */
public final class Maglev<T extends Candidate> implements Selector<T> {
    /** Prime table sizes; the smallest one of at least 100 slots per candidate is used. */
    static final int[] SIZES = {65_537, 131_071, 262_139, 524_287, 1_048_573, 2_097_143};
    private static final long OFFSET_SEED = 0x6d61676c65763031L;
    private static final long SKIP_SEED = 0x6d61676c65763032L;
    private static final long CLIENT_SEED = 0x636c69656e743031L;
    private static final long STEP_SEED = 0x636c69656e743032L;

    private final List<T> candidates;
    private final List<T> owners;
    private final int[] table;

    public Maglev(List<T> candidates) {
        this.candidates = List.copyOf(candidates);
        List<T> eligible = new ArrayList<>();
        for (T candidate : this.candidates) {
            if (candidate.weight() > 0) {
                eligible.add(candidate);
            }
        }
        eligible.sort(Comparator.comparing(Candidate::hashKey));
        this.owners = List.copyOf(eligible);
        this.table = owners.isEmpty() ? new int[0] : populate(owners, sizeFor(owners.size()));
    }

    static int sizeFor(int candidates) {
        for (int size : SIZES) {
            if (size >= 100L * candidates) {
                return size;
            }
        }
        return SIZES[SIZES.length - 1];
    }

    private static int[] populate(List<? extends Candidate> owners, int size) {
        int n = owners.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        long[] credit = new long[n];
        int maxWeight = 0;
        for (int i = 0; i < n; i++) {
            String key = owners.get(i).hashKey();
            offset[i] = Long.remainderUnsigned(StableHash.of(key, OFFSET_SEED), size);
            skip[i] = Long.remainderUnsigned(StableHash.of(key, SKIP_SEED), size - 1) + 1;
            maxWeight = Math.max(maxWeight, owners.get(i).weight());
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                credit[i] += owners.get(i).weight();
                while (credit[i] >= maxWeight) {
                    credit[i] -= maxWeight;
                    int slot = (int) ((offset[i] + next[i] * skip[i]) % size);
                    while (table[slot] >= 0) {
                        next[i]++;
                        slot = (int) ((offset[i] + next[i] * skip[i]) % size);
                    }
                    table[slot] = i;
                    next[i]++;
                    if (++filled == size) {
                        return table;
                    }
                }
            }
        }
    }

    @Override
    public T pick(InetAddress client, Collection<T> tried) {
        int size = table.length;
        if (size == 0) {
            return null;
        }
        byte[] address = client == null ? new byte[0] : client.getAddress();
        int slot = (int) Long.remainderUnsigned(StableHash.of(address, CLIENT_SEED), size);
        T owner = owners.get(table[slot]);
        if (Selector.usable(owner, tried)) {
            return owner;
        }
        int step = (int) Long.remainderUnsigned(StableHash.of(address, STEP_SEED), size - 1) + 1;
        for (int probe = 1; probe < size; probe++) {
            slot = (int) ((slot + (long) step) % size);
            owner = owners.get(table[slot]);
            if (Selector.usable(owner, tried)) {
                return owner;
            }
            if (probe == 4 * owners.size() && noneUsable(tried)) {
                return null;
            }
        }
        return null;
    }

    private boolean noneUsable(Collection<T> tried) {
        for (T owner : owners) {
            if (Selector.usable(owner, tried)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<T> candidates() {
        return candidates;
    }

    public int tableSize() {
        return table.length;
    }

    /** The hash key of the candidate that owns {@code slot}. */
    public String ownerOf(int slot) {
        return owners.get(table[slot]).hashKey();
    }
}
