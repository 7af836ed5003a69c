package io.fulcrum.dataplane.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of a client connection: it runs its task no later than the earliest deadline it
 * was given. Deadlines that move later cost nothing (the task fires early, looks at the clock and
 * asks again), so a connection does not schedule and cancel a task per request. Used on the
 * connection's event loop only.
 */
final class ConnectionTimer {
    private final EventLoop loop;
    private final Runnable task;
    private ScheduledFuture<?> scheduled;
    private long at;

    ConnectionTimer(EventLoop loop, Runnable task) {
        this.loop = loop;
        this.task = task;
    }

    /** Runs the task at {@code deadline} (System.nanoTime()) or earlier. */
    void notAfter(long deadline) {
        if (scheduled != null && at - deadline <= 0) {
            return;
        }
        cancel();
        at = deadline;
        scheduled = loop.schedule(this::fire, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    private void fire() {
        scheduled = null;
        task.run();
    }
}
