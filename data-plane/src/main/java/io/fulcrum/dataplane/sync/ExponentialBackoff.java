package io.fulcrum.dataplane.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * How long to wait before the next attempt after consecutive failures: {@code initialDelay}
 * after the first, times {@code multiplier} per further failure (the exponent stops growing
 * after 17 failures), never more than {@code maxDelay}; then a {@code jitter} share of that
 * ceiling is drawn at random, so that many nodes losing one member do not come back in step.
 * With jitter 0.5 the delay is between half the ceiling and the ceiling. Immutable.
 */
public final class ExponentialBackoff {
    private static final int MAX_EXPONENT = 16;

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;

    /**
     * @param multiplier growth per failure, above 1.0
     * @param jitter     the random share of each delay, 0.0 (none) to 1.0 (anything from 0 to the ceiling)
     * @throws IllegalArgumentException naming the parameter, its value and what is expected
     */
    public ExponentialBackoff(Duration initialDelay, Duration maxDelay, double multiplier, double jitter) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.toMillis() <= 0) {
            throw new IllegalArgumentException("initialDelay: " + initialDelay + " (expected: >= 1 ms)");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay: " + maxDelay + " (expected: >= initialDelay " + initialDelay + ")");
        }
        if (!(multiplier > 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: > 1.0)");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0..1.0)");
        }
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
    }

    /**
     * The delay after {@code failures} consecutive failures, in milliseconds, with one draw from
     * {@code random}.
     *
     * @param failures 1 after the first failure
     */
    public long delayMillis(int failures, Random random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: >= 1)");
        }
        long ceiling = ceilingMillis(failures);
        long fixed = (long) (ceiling * (1 - jitter));
        return fixed + (long) (random.nextDouble() * (ceiling * jitter));
    }

    /** The delay after {@code failures} failures before jitter. */
    long ceilingMillis(int failures) {
        double grown = initialDelay.toMillis() * Math.pow(multiplier, Math.min(failures - 1, MAX_EXPONENT));
        return (long) Math.min(maxDelay.toMillis(), grown);
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExponentialBackoff that && initialDelay.equals(that.initialDelay)
                && maxDelay.equals(that.maxDelay) && multiplier == that.multiplier && jitter == that.jitter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, maxDelay, multiplier, jitter);
    }

    @Override
    public String toString() {
        return "ExponentialBackoff{initialDelay=" + initialDelay.toMillis() + " ms, maxDelay=" + maxDelay.toMillis()
                + " ms, multiplier=" + multiplier + ", jitter=" + jitter + "}";
    }
}
