package io.fulcrum.dataplane;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one data-plane process ends: it serves until either a stop (SIGTERM: it drains) or a
 * handover to its successor (a takeover) is decided, whichever comes first, exactly once. A stop
 * during a handover waits for the handover; a handover is refused once the node stops.
 * Thread-safe.
 */
final class NodeLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);

    enum Phase { SERVING, HANDING_OVER, STOPPING }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.SERVING);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile AutoCloseable follower = () -> { };

    /** What to stop following when the node is handed over (its sync with the control plane). */
    void following(AutoCloseable follower) {
        this.follower = follower;
    }

    /** SIGTERM (or a test): drain and exit, unless a handover was decided already (it finishes first). */
    void stop() {
        if (phase.compareAndSet(Phase.SERVING, Phase.STOPPING) || phase.get() == Phase.STOPPING) {
            ended.countDown();
        }
    }

    /** True while neither a stop nor a handover was decided. */
    boolean serving() {
        return phase.get() == Phase.SERVING;
    }

    /**
     * Decides to hand over, unless the node stops already; then stops following the control
     * plane at once, so no report of this process (draining, a refused config) reaches it while
     * the successor is its node.
     */
    boolean beginHandover() {
        if (!phase.compareAndSet(Phase.SERVING, Phase.HANDING_OVER)) {
            return false;
        }
        try {
            follower.close();
        } catch (Exception e) {
            log.warn("stopping the sync before the handover: {}", e.toString());
        }
        return true;
    }

    /** The handover finished (the listeners are the successor's): the process drains and exits. */
    void handedOver() {
        ended.countDown();
    }

    /** Blocks until a stop or a finished handover; returns which. */
    Phase await() throws InterruptedException {
        ended.await();
        return phase.get();
    }
}
