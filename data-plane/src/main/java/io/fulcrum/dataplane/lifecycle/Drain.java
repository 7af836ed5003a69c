package io.fulcrum.dataplane.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a data-plane node without failing the requests it is serving. The steps, in the order
 * {@link #run} takes them:
 *
 * <ol>
 *   <li>{@link #leaveVipCandidacy()}: the node stops being a candidate for its VIPs (its
 *       keepalived goes FAULT and gives the addresses up), so that traffic moves to another node
 *       before the listeners close; returns once another node has had time to take them
 *       (docs/vip.md);</li>
 *   <li>{@link #stopAccepting()}: every listener is closed (new connections are refused from
 *       then on; a connection the kernel queued in the very moment of the close may be reset)
 *       and configs are no longer applied;</li>
 *   <li>{@link #closeHttpAfterCurrentRequest()}: each HTTP keep-alive connection answers its
 *       current request with {@code Connection: close} and closes; idle ones close at once (one
 *       that answered less than a second ago waits that long for a request already on its way).
 *       TCP connections keep relaying until they end;</li>
 *   <li>{@link #awaitConnections(Duration)}: waits until no client connection is open, or the
 *       timeout passed;</li>
 *   <li>{@link #closeNode()}: closes the node, cutting whatever is still open.</li>
 * </ol>
 *
 * <p>Each step may also be called on its own, in that order (a listener takeover replaces step 2
 * by handing the listening sockets to a successor, then goes on with steps 3 to 5). Steps 1 to 3
 * are idempotent and return at once (step 2 once the sockets are closed); thread-safe, but meant to
 * be driven by one thread. The node's sync client sees {@link Drainable#draining()} turn true at
 * step 2 and reports it.
 */
public final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private final Drainable node;
    private final Clock clock;
    private final VipCandidacy vips;

    public Drain(Drainable node, Clock clock) {
        this(node, clock, VipCandidacy.NONE);
    }

    /** A drain that first gives up the VIPs {@code vips} makes the node a candidate for. */
    public Drain(Drainable node, Clock clock, VipCandidacy vips) {
        this.node = node;
        this.clock = clock;
        this.vips = vips;
    }

    /**
     * How a drain ended.
     *
     * @param drained  true when every connection ended before the timeout
     * @param left     client connections still open when the wait ended (cut by the close)
     * @param duration from the start of the drain to the end of the wait
     */
    public record Outcome(boolean drained, long left, Duration duration) {
        /** In words, for logs and the Goodbye. */
        public String describe() {
            return drained ? "drained in " + duration.toMillis() + " ms"
                    : "drain timeout after " + duration.toMillis() + " ms, " + left + " connections cut";
        }
    }

    /** Called between the steps of {@link #run}. */
    public interface Observer {
        /** After step 3: the node drains (e.g. report it to the control plane now). */
        default void draining() {
        }

        /** After step 4, before the node is closed (e.g. say goodbye to the control plane). */
        default void drained(Outcome outcome) {
        }
    }

    /**
     * Runs every step, blocking the calling thread up to {@code timeout} plus the time to close
     * the listeners and the node.
     */
    public Outcome run(Duration timeout, Observer observer) {
        long start = clock.millis();
        log.info("data plane {} draining: {} client connections open, timeout {} ms", node.nodeId(),
                node.openConnections(), timeout.toMillis());
        leaveVipCandidacy();
        stopAccepting();
        closeHttpAfterCurrentRequest();
        observer.draining();
        long left = awaitConnections(timeout);
        Outcome outcome = new Outcome(left == 0, left, Duration.ofMillis(clock.millis() - start));
        if (outcome.drained()) {
            log.info("data plane {} {}", node.nodeId(), outcome.describe());
        } else {
            log.warn("data plane {} {}", node.nodeId(), outcome.describe());
        }
        observer.drained(outcome);
        closeNode();
        return outcome;
    }

    /** Step 1: see {@link VipCandidacy#leave()}. */
    public void leaveVipCandidacy() {
        vips.leave();
    }

    /** Step 2: see {@link Drainable#stopAccepting()}. */
    public void stopAccepting() {
        node.stopAccepting();
    }

    /** Step 3: see {@link Drainable#closeHttpAfterCurrentRequest()}. */
    public void closeHttpAfterCurrentRequest() {
        node.closeHttpAfterCurrentRequest();
    }

    /**
     * Step 4: waits, polling every 20 ms, until no client connection is open or {@code timeout}
     * passed (measured on the clock given).
     *
     * @return the connections still open; 0 when drained
     */
    public long awaitConnections(Duration timeout) {
        long deadline = clock.millis() + timeout.toMillis();
        long open = node.openConnections();
        while (open > 0 && clock.millis() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return node.openConnections();
            }
            open = node.openConnections();
        }
        return open;
    }

    /** Step 5: closes the node. */
    public void closeNode() {
        node.close();
    }
}
