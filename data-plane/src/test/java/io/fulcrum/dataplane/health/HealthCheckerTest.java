package io.fulcrum.dataplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.proto.v1.HealthState;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scheduling of active checks, with a fake check whose outcome the test flips. */
@Timeout(30)
class HealthCheckerTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final HealthRegistry registry = new HealthRegistry("dp1", Clock.systemUTC());
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final AtomicInteger checks = new AtomicInteger();
    private final HealthCheck fake = (EventLoop on, InetSocketAddress address, int timeoutMs) -> {
        checks.incrementAndGet();
        Future<CheckResult> done = on.newSucceededFuture(healthy.get() ? CheckResult.ok("ok", 5)
                : CheckResult.failed("connect refused"));
        return done;
    };

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void checksAtOnceThenEveryPeriodAndFlipsAfterConsecutiveResults() {
        HealthStatus status = registry.prepare(new ServerKey("g", "s", "127.0.0.1:9"));
        registry.install(List.of(status));
        HealthChecker checker = checker(new HealthPolicy(100, 50, 2, 3, true), status);
        long start = System.nanoTime();
        checker.start();
        Poll.until(Duration.ofSeconds(2), () -> status.state() == HealthState.HEALTH_STATE_UP, "first check UP");
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(40), "the first check waits for nobody");

        healthy.set(false);
        int before = checks.get();
        Duration down = Poll.until(Duration.ofSeconds(2), () -> status.state() == HealthState.HEALTH_STATE_DOWN, "DOWN");
        assertTrue(checks.get() - before >= 3, "three failures were needed");
        assertTrue(down.toMillis() >= 100, "3 failures 50 ms apart cannot take " + down.toMillis() + " ms");

        healthy.set(true);
        Poll.until(Duration.ofSeconds(2), () -> status.state() == HealthState.HEALTH_STATE_UP, "UP again");
        checker.stop();
        int afterStop = checks.get();
        healthy.set(false);
        // a stopped checker records nothing: the state stays UP however long we look
        Poll.until(Duration.ofMillis(300), () -> loop.submit(() -> { }).awaitUninterruptibly(100), "loop alive");
        assertTrue(checks.get() - afterStop <= 1);
        assertEquals(HealthState.HEALTH_STATE_UP, status.state());
    }

    @Test
    void aSurvivingServerKeepsItsRhythm() {
        HealthStatus status = registry.prepare(new ServerKey("g", "s", "127.0.0.1:9"));
        registry.install(List.of(status));
        HealthChecker first = checker(new HealthPolicy(100, 60_000, 1, 1, true), status);
        first.start();
        Poll.until(Duration.ofSeconds(2), () -> status.lastCheckNanos() != 0, "first check done");
        first.stop();
        // a new config: the server was checked a moment ago, so it is not checked again at once
        HealthChecker second = checker(new HealthPolicy(100, 60_000, 1, 1, true), status);
        second.start();
        loop.submit(() -> { }).awaitUninterruptibly(1000);
        assertEquals(1, checks.get());
        second.stop();
    }

    @Test
    void groupWithoutChecksMarksServersUp() {
        HealthStatus status = registry.prepare(new ServerKey("g", "s", "127.0.0.1:9"));
        registry.install(List.of(status));
        checker(new HealthPolicy(100, 50, 1, 1, false), status).start();
        assertEquals(HealthState.HEALTH_STATE_UP, status.state());
        assertEquals(0, checks.get());
    }

    private HealthChecker checker(HealthPolicy policy, HealthStatus status) {
        return new HealthChecker(policy, fake, List.of(loop), registry, List.of(
                new HealthChecker.Target(status, new InetSocketAddress("127.0.0.1", 9), null)));
    }
}
