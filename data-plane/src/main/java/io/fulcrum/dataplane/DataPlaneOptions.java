package io.fulcrum.dataplane;

import io.fulcrum.dataplane.runtime.SpliceCheck;
import io.fulcrum.dataplane.runtime.TransportKind;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;

/**
 * How to start a {@link DataPlane}. Immutable; build with {@link #builder(String)}.
 *
 * <p>Defaults: no admin endpoint, the system clock, a fresh {@link Random}, one worker loop per
 * core in the built-in {@code (worker-elg)}, native epoll when available.
 */
public final class DataPlaneOptions {
    private final String nodeId;
    private final InetSocketAddress adminAddress;
    private final Clock clock;
    private final Random random;
    private final int workerLoops;
    private final TransportKind transport;
    private final SpliceCheck spliceCheck;

    private DataPlaneOptions(Builder builder) {
        this.nodeId = builder.nodeId;
        this.adminAddress = builder.adminAddress;
        this.clock = builder.clock;
        this.random = builder.random;
        this.workerLoops = builder.workerLoops;
        this.transport = builder.transport;
        this.spliceCheck = builder.spliceCheck;
    }

    public static Builder builder(String nodeId) {
        return new Builder(nodeId);
    }

    public String nodeId() {
        return nodeId;
    }

    /** Where to serve /healthz, /ready and /metrics (port 0: any free port); null for none. */
    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    /** Wall-clock time of health transitions ("since"). */
    public Clock clock() {
        return clock;
    }

    /** Chance: where each wrr cycle starts on this node. */
    public Random random() {
        return random;
    }

    /** Loops of the built-in (worker-elg). */
    public int workerLoops() {
        return workerLoops;
    }

    public TransportKind transport() {
        return transport;
    }

    /** Decides, on epoll, between Fulcrum's splicing channels and Netty's own ({@link SpliceCheck#DEFAULT}). */
    public SpliceCheck spliceCheck() {
        return spliceCheck;
    }

    public Builder toBuilder() {
        return new Builder(nodeId).adminAddress(adminAddress).clock(clock).random(random).workerLoops(workerLoops)
                .transport(transport).spliceCheck(spliceCheck);
    }

    /** Collects options; not thread-safe. */
    public static final class Builder {
        private final String nodeId;
        private InetSocketAddress adminAddress;
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private int workerLoops = java.lang.Runtime.getRuntime().availableProcessors();
        private TransportKind transport = TransportKind.AUTO;
        private SpliceCheck spliceCheck = SpliceCheck.DEFAULT;

        private Builder(String nodeId) {
            if (nodeId == null || nodeId.isBlank()) {
                throw new IllegalArgumentException("a data plane needs a node id");
            }
            this.nodeId = nodeId;
        }

        public Builder adminAddress(InetSocketAddress address) {
            this.adminAddress = address;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Builder workerLoops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("worker loops must be at least 1, got " + loops);
            }
            this.workerLoops = loops;
            return this;
        }

        public Builder transport(TransportKind transport) {
            this.transport = Objects.requireNonNull(transport);
            return this;
        }

        /** The start check of the splicing channels; tests pass one that throws to force the fallback. */
        public Builder spliceCheck(SpliceCheck check) {
            this.spliceCheck = Objects.requireNonNull(check);
            return this;
        }

        public DataPlaneOptions build() {
            return new DataPlaneOptions(this);
        }
    }
}
