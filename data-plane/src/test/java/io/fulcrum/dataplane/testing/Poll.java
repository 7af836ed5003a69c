package io.fulcrum.dataplane.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking every 10 ms. */
public final class Poll {
    private Poll() {
    }

    /**
     * @return how long the condition took to hold
     * @throws AssertionError with {@code what} if it does not hold within {@code timeout}
     */
    public static Duration until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(10_000_000L);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public static Duration until(Duration timeout, BooleanSupplier condition, String what) {
        return until(timeout, condition, () -> what);
    }

    /**
     * Checks every 10 ms that {@code condition} holds for all of {@code duration}: for what must not
     * happen (a reload, a move), which no deadline can wait for.
     *
     * @throws AssertionError with {@code what} the first time it does not hold
     */
    public static void holds(Duration duration, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!condition.getAsBoolean()) {
                throw new AssertionError(what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /**
     * Waits until {@code counter} stayed the same for {@code stable} (a writer that stopped making
     * progress, say), at most {@code timeout}.
     */
    public static void untilUnchanged(Duration timeout, Duration stable, LongSupplier counter, String what) {
        long[] last = {counter.getAsLong()};
        long[] since = {System.nanoTime()};
        until(timeout, () -> {
            long now = counter.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > stable.toNanos();
        }, what);
    }
}
