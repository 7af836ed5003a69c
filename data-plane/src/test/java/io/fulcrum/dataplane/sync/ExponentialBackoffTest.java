package io.fulcrum.dataplane.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ExponentialBackoffTest {
    private static final ExponentialBackoff SYNC = SyncSettings.of(List.of("cp:1"), "t").backoff();

    /** A Random whose every draw is {@code value}. */
    private static Random always(double value) {
        return new Random() {
            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void theCeilingDoublesFromTheInitialDelayUpToTheMaximum() {
        long[] expected = {200, 400, 800, 1600, 3200, 5000, 5000};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertEquals(expected[failures - 1], SYNC.delayMillis(failures, always(Math.nextDown(1.0))) + 1, "after " + failures);
            assertEquals(expected[failures - 1] / 2, SYNC.delayMillis(failures, always(0)), "after " + failures);
        }
    }

    @Test
    void halfOfEachDelayIsDrawnAtRandom() {
        assertEquals(100 + 25, SYNC.delayMillis(1, always(0.25)));
        assertEquals(2500 + 1250, SYNC.delayMillis(9, always(0.5)));
        ExponentialBackoff noJitter = new ExponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 0.0);
        assertEquals(900, noJitter.delayMillis(3, always(0.7)));
        ExponentialBackoff fullJitter = new ExponentialBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 1.0);
        assertEquals(630, fullJitter.delayMillis(3, always(0.7)));
    }

    @Test
    void sameDelaysAsTheFormulaSyncClientUsedBefore() {
        Random before = new Random(42);
        Random now = new Random(42);
        for (ExponentialBackoff backoff : new ExponentialBackoff[] {SYNC,
                new ExponentialBackoff(Duration.ofMillis(1), Duration.ofHours(1), 2.0, 0.5),
                new ExponentialBackoff(Duration.ofMillis(333), Duration.ofMillis(4321), 2.0, 0.5)}) {
            for (int failures = 1; failures <= 40; failures++) {
                long ceiling = Math.min(backoff.maxDelay().toMillis(),
                        backoff.initialDelay().toMillis() << Math.min(failures - 1, 16));
                long old = ceiling / 2 + (long) (before.nextDouble() * (ceiling / 2.0));
                assertEquals(old, backoff.delayMillis(failures, now), backoff + " after " + failures);
            }
        }
    }

    @Test
    void invalidParametersAreRejectedWithWhatIsExpected() {
        Duration second = Duration.ofSeconds(1);
        rejects("initialDelay: PT0S (expected: >= 1 ms)", () -> new ExponentialBackoff(Duration.ZERO, second, 2, 0.5));
        rejects("maxDelay: PT0.5S (expected: >= initialDelay PT1S)",
                () -> new ExponentialBackoff(second, Duration.ofMillis(500), 2, 0.5));
        rejects("multiplier: 0.5 (expected: > 1.0)", () -> new ExponentialBackoff(second, second, 0.5, 0.5));
        rejects("multiplier: NaN (expected: > 1.0)", () -> new ExponentialBackoff(second, second, Double.NaN, 0.5));
        rejects("jitter: 1.5 (expected: 0.0..1.0)", () -> new ExponentialBackoff(second, second, 2, 1.5));
        rejects("jitter: -0.1 (expected: 0.0..1.0)", () -> new ExponentialBackoff(second, second, 2, -0.1));
        rejects("failures: 0 (expected: >= 1)", () -> SYNC.delayMillis(0, new Random(1)));
    }

    @Test
    void describesItself() {
        assertEquals("ExponentialBackoff{initialDelay=200 ms, maxDelay=5000 ms, multiplier=2.0, jitter=0.5}", SYNC.toString());
        assertEquals(SYNC, new ExponentialBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 2.0, 0.5));
    }

    private static void rejects(String message, Executable construction) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construction).getMessage());
    }
}
