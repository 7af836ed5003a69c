package io.fulcrum.dataplane.health;

import io.fulcrum.proto.v1.HealthState;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs the active checks of one server group for one applied config. Servers are spread over the
 * group's event loops; each server is checked again {@code period} after its previous check
 * ended. A server new to this node is checked at once; a server that survived a config change
 * keeps its rhythm (its first check here comes {@code period} after the last one ended).
 *
 * <p>{@link #start()} and {@link #stop()} are called once each, by the thread applying configs.
 * After {@code stop()} no result is recorded any more.
 */
public final class HealthChecker {
    /**
     * One server to check.
     *
     * @param address null when the host name could not be resolved
     * @param unresolved why the address is null
     */
    public record Target(HealthStatus status, InetSocketAddress address, String unresolved) {
    }

    private final HealthPolicy policy;
    private final HealthCheck check;
    private final List<EventLoop> loops;
    private final HealthRegistry registry;
    private final List<Target> targets;
    private final AtomicReferenceArray<ScheduledFuture<?>> pending;
    private volatile boolean stopped;

    public HealthChecker(HealthPolicy policy, HealthCheck check, List<EventLoop> loops, HealthRegistry registry,
            List<Target> targets) {
        this.policy = policy;
        this.check = check;
        this.loops = List.copyOf(loops);
        this.registry = registry;
        this.targets = List.copyOf(targets);
        this.pending = new AtomicReferenceArray<>(targets.size());
    }

    public void start() {
        if (!policy.active()) {
            for (Target target : targets) {
                registry.force(target.status(), HealthState.HEALTH_STATE_UP, "no health check");
            }
            return;
        }
        long now = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            long last = targets.get(i).status().lastCheckNanos();
            long sinceLastMs = TimeUnit.NANOSECONDS.toMillis(now - last);
            long delayMs = last == 0 ? 0 : Math.max(0, policy.periodMs() - sinceLastMs);
            schedule(i, loops.get(i % loops.size()), delayMs);
        }
    }

    public void stop() {
        stopped = true;
        for (int i = 0; i < pending.length(); i++) {
            ScheduledFuture<?> future = pending.get(i);
            if (future != null) {
                future.cancel(false);
            }
        }
    }

    private void schedule(int index, EventLoop loop, long delayMs) {
        if (stopped) {
            return;
        }
        try {
            pending.set(index, loop.schedule(() -> runCheck(index, loop), delayMs, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // the loop is shutting down with the data plane
        }
    }

    private void runCheck(int index, EventLoop loop) {
        if (stopped) {
            return;
        }
        Target target = targets.get(index);
        if (target.address() == null) {
            finish(index, loop, CheckResult.failed(target.unresolved()));
            return;
        }
        check.run(loop, target.address(), policy.timeoutMs())
                .addListener((Future<CheckResult> done) -> finish(index, loop, done.getNow()));
    }

    private void finish(int index, EventLoop loop, CheckResult result) {
        if (stopped) {
            return;
        }
        HealthStatus status = targets.get(index).status();
        status.checkedAt(System.nanoTime());
        registry.record(status, result, policy.up(), policy.down());
        schedule(index, loop, policy.periodMs());
    }
}
