package io.fulcrum.controlplane.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting in tests: poll a condition until it holds or a deadline passes. Never a bare sleep. */
public final class Poll {
    private Poll() {
    }

    /** Polls every 20 ms; fails with {@code what} and the last exception if the deadline passes. */
    public static void until(Duration timeout, String what, Supplier<Boolean> condition) {
        value(timeout, what, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }

    /** As {@link #until(Duration, String, Supplier)}, describing what was awaited only if it fails (a log tail, say). */
    public static void until(Duration timeout, Supplier<Boolean> condition, Supplier<String> what) {
        value(timeout, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null, what);
    }

    /** As {@link #value(Duration, String, Supplier)}, describing what was awaited only if it fails (the last state seen, say). */
    public static <T> T value(Duration timeout, Supplier<T> supplier, Supplier<String> what) {
        try {
            return value(timeout, "the condition", supplier);
        } catch (AssertionError e) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what.get(), e.getCause());
        }
    }

    /**
     * Checks every 20 ms that {@code condition} holds for all of {@code duration}: for what must not
     * happen (a move, a transition), which no deadline can wait for.
     *
     * @throws AssertionError with {@code what} the first time it does not hold
     */
    public static void holds(Duration duration, String what, Supplier<Boolean> condition) {
        holds(duration, Duration.ofMillis(20), what, condition);
    }

    /** As {@link #holds(Duration, String, Supplier)}, checking every {@code every} (a costly check). */
    public static void holds(Duration duration, Duration every, String what, Supplier<Boolean> condition) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!Boolean.TRUE.equals(condition.get())) {
                throw new AssertionError(what);
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted checking " + what, e);
            }
        }
    }

    /** Polls until {@code supplier} returns non-null without throwing; returns that value. */
    public static <T> T value(Duration timeout, String what, Supplier<T> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = supplier.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
