package io.fulcrum.dataplane.balance;

import java.nio.charset.StandardCharsets;

/**
 * A 64-bit hash that is the same on every node, JVM and run (unlike {@code hashCode()}): FNV-1a
 * over the bytes, seeded, then MurmurHash3's 64-bit finalizer to spread the bits.
 */
public final class StableHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {
    }

    public static long of(byte[] data, long seed) {
        long hash = FNV_OFFSET ^ seed;
        for (byte b : data) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return mix(hash);
    }

    public static long of(String text, long seed) {
        return of(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    /** MurmurHash3 fmix64. */
    static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
