package io.fulcrum.dataplane;

import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.dataplane.accesslog.AccessLogs;
import io.fulcrum.dataplane.admin.AdminServer;
import io.fulcrum.dataplane.admin.Readiness;
import io.fulcrum.dataplane.admin.ReadinessCheck;
import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.http.BackendPools;
import io.fulcrum.dataplane.http.HttpConnections;
import io.fulcrum.dataplane.lifecycle.Drainable;
import io.fulcrum.dataplane.metrics.DataPlaneMetrics;
import io.fulcrum.dataplane.metrics.DrainedServers;
import io.fulcrum.dataplane.metrics.HttpMetrics;
import io.fulcrum.dataplane.metrics.TrafficStats;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.runtime.EventLoops;
import io.fulcrum.dataplane.runtime.InheritedSockets;
import io.fulcrum.dataplane.runtime.Listener;
import io.fulcrum.dataplane.runtime.LoopKey;
import io.fulcrum.dataplane.runtime.RuntimeBuilder;
import io.fulcrum.dataplane.runtime.Transport;
import io.fulcrum.dataplane.sync.SyncedNode;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ServerConnections;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data-plane node: Netty listeners relaying TCP connections to servers, health checks, and
 * an optional admin endpoint. Starts with no config; {@link #apply} installs one atomically.
 *
 * <p>Thread-safe. Nothing is static: many data planes can run in one JVM, each with its own
 * loops, metrics registry and health registry.
 */
public final class DataPlane implements AutoCloseable, SyncedNode, Drainable {
    private static final Logger log = LoggerFactory.getLogger(DataPlane.class);

    private final DataPlaneOptions options;
    private final Transport transport;
    private final EventLoops loops;
    private final HealthRegistry health;
    private final TrafficStats stats = new TrafficStats();
    private final BackendPools pools = new BackendPools();
    private final HttpConnections httpConnections = new HttpConnections();
    private final AccessLogs accessLogs;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Readiness readiness = new Readiness();
    private final ConfigApplier applier;
    private volatile AdminServer admin;
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private DataPlane(DataPlaneOptions options) {
        this.options = options;
        Transport transport = Transport.of(options.transport(), options.spliceCheck());
        this.transport = transport;
        this.loops = new EventLoops(transport, options.nodeId());
        this.health = new HealthRegistry(options.nodeId(), options.clock());
        this.accessLogs = new AccessLogs(options.nodeId());
        Map<String, List<String>> builtIns = new LinkedHashMap<>();
        builtIns.put(BuiltIns.ACCEPTOR_ELG, loopNames(1));
        builtIns.put(BuiltIns.WORKER_ELG, loopNames(options.workerLoops()));
        builtIns.put(BuiltIns.CONTROL_ELG, loopNames(1));
        Set<LoopKey> builtInLoops = new HashSet<>();
        builtIns.forEach((group, names) -> builtInLoops.addAll(loops.group(group, names).keys()));
        RuntimeBuilder builder = new RuntimeBuilder(transport, loops, builtIns, health, stats, accessLogs, options.random(),
                options.clock());
        // a new ticket-key period takes over encryption within 5 minutes of its start (docs/tls.md)
        loops.group(BuiltIns.CONTROL_ELG, builtIns.get(BuiltIns.CONTROL_ELG)).loops().get(0)
                .scheduleWithFixedDelay(builder::rotateTicketKeys, 5, 5, java.util.concurrent.TimeUnit.MINUTES);
        this.applier = new ConfigApplier(transport, loops, builtInLoops, builder, health, stats, pools, accessLogs,
                httpConnections);
        DataPlaneMetrics.register(registry, stats, health, this::appliedVersion);
        DataPlaneMetrics.registerTransport(registry, transport.name());
        io.fulcrum.dataplane.tls.TlsMetrics.register(registry, this::appliedConfig, java.time.Clock.systemUTC());
        HttpMetrics.register(registry, stats, pools::idleConnections, accessLogs::writers);
        readiness.add(() -> applier.hasApplied() ? null : "no config applied yet");
        readiness.add(() -> draining ? "draining: the node is stopping" : null);
        AdminServer started = null;
        try {
            if (options.adminAddress() != null) {
                started = AdminServer.start(options.adminAddress(), registry, readiness,
                        "fulcrum-" + options.nodeId() + "-admin");
            }
        } catch (RuntimeException e) {
            loops.close();
            throw e;
        }
        this.admin = started;
        String adminText = admin == null ? "" : ", admin on " + admin.address().getHostString() + ":" + admin.address().getPort();
        log.info("data plane {} started ({} transport, {} worker loops{})", options.nodeId(), transport.name(),
                options.workerLoops(), adminText);
    }

    /**
     * Starts a node with no config: its built-in event loops and, if asked for, its admin endpoint.
     *
     * @throws java.io.UncheckedIOException if the admin address cannot be bound
     */
    public static DataPlane start(DataPlaneOptions options) {
        return new DataPlane(options);
    }

    /**
     * Validates {@code config}, builds its runtime, binds its new listeners, then swaps it in and
     * closes the listeners it dropped. Connections already open (on a dropped listener, to a
     * dropped server) run until they end; servers that survive keep their health state.
     *
     * <p>Never throws for a bad config: it is rejected whole with a message saying what failed,
     * and the running config keeps serving untouched. Calls are serialized.
     */
    public ApplyResult apply(Config config) {
        return applier.apply(config);
    }

    /** The applied config (cluster id and version set), or empty before the first. */
    public Optional<Config> appliedConfig() {
        return Optional.ofNullable(applier.appliedConfig());
    }

    /**
     * Sockets taken over from the process this one replaces: the next {@link #apply} adopts those
     * on its listeners' addresses instead of binding new sockets (docs/operations.md).
     */
    public void inherit(InheritedSockets sockets) {
        applier.inherit(sockets);
    }

    /** True when its listening sockets can be handed to a new process (the epoll transport). */
    public boolean canHandOver() {
        return transport.canHandOver();
    }

    /**
     * Stops accepting because a new process serves the same sockets now (a takeover); takes no
     * config from then on. Open connections keep running.
     */
    public void handOverListeners() {
        applier.handOver();
    }

    /**
     * The applied config and its listeners as one pair, for a takeover offer: configs wait from
     * now until {@link #releaseHandover()} or {@link #handOverListeners()}, so the sockets offered
     * are the ones handed over.
     */
    ConfigApplier.Handover holdForHandover() {
        return applier.hold();
    }

    /** The takeover offered did not go ahead: configs apply again. */
    void releaseHandover() {
        applier.release();
    }

    /** The listeners of the applied config, by name (their sockets can be handed to a new process). */
    public Map<String, Listener> listeners() {
        return applier.listeners();
    }

    /** The version of the applied config; 0 before any. */
    public long appliedVersion() {
        return applier.current().version();
    }

    /** True once a config has been applied. */
    public boolean hasAppliedConfig() {
        return applier.hasApplied();
    }

    public HealthRegistry health() {
        return health;
    }

    /** Client connections open on all listeners. */
    @Override
    public long openConnections() {
        return stats.openConnections();
    }

    @Override
    public List<io.fulcrum.proto.v1.ListenerCounters> listenerCounters() {
        return stats.listenerCounters();
    }

    @Override
    public List<ServerConnections> drainedServers() {
        Config applied = applier.appliedConfig();
        return applied == null ? List.of() : DrainedServers.of(applied, stats);
    }

    /** This node's own metrics registry (never the global default one); others may add metrics to it. */
    public PrometheusRegistry metrics() {
        return registry;
    }

    /** Adds a condition to {@code /ready} (for example "synced with the control plane"). */
    public void addReadinessCheck(ReadinessCheck check) {
        readiness.add(check);
    }

    /** Adds a line {@code /ready} shows without changing its answer (null: nothing to say now). */
    public void addReadinessNote(java.util.function.Supplier<String> note) {
        readiness.addNote(note);
    }

    /** Why {@code /ready} would answer 503; empty when ready. */
    public List<String> unreadyReasons() {
        return readiness.reasons();
    }

    /**
     * Starts the admin endpoint later than the node (a process taking another over binds the
     * address once the old one let it go).
     *
     * @throws IllegalStateException if it runs already
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public synchronized void startAdmin(InetSocketAddress address) {
        if (closed.get()) {
            throw new IllegalStateException("the data plane is closed");
        }
        if (admin != null) {
            throw new IllegalStateException("the admin endpoint runs already on " + admin.address());
        }
        admin = AdminServer.start(address, registry, readiness, "fulcrum-" + options.nodeId() + "-admin");
    }

    /** Stops the admin endpoint (after a takeover the new process serves it); idempotent. */
    public synchronized void stopAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    /** The bound admin address, if the node has an admin endpoint. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::address);
    }

    /** The address a listener of the applied config is bound on. */
    public Optional<InetSocketAddress> listenerAddress(String name) {
        return applier.listener(name).map(Listener::localAddress);
    }

    @Override
    public String nodeId() {
        return options.nodeId();
    }

    /**
     * Closes every listener (returns once their sockets are closed) and applies no config from
     * now on; connections already open keep running. {@link #draining()} is true from now on.
     * Step 2 of a {@link io.fulcrum.dataplane.lifecycle.Drain}. Idempotent.
     */
    @Override
    public void stopAccepting() {
        draining = true;
        applier.stopAccepting();
    }

    /**
     * Each HTTP connection answers its current request with {@code Connection: close} and closes;
     * idle ones close at once. TCP connections are not touched. Returns at once. Step 3 of a
     * {@link io.fulcrum.dataplane.lifecycle.Drain}. Idempotent.
     */
    @Override
    public void closeHttpAfterCurrentRequest() {
        httpConnections.drain();
    }

    /** True once {@link #stopAccepting()} was called (the node is stopping; Heartbeat's {@code draining}). */
    @Override
    public boolean draining() {
        return draining;
    }

    /**
     * Stops health checks and listeners, closes every connection and the admin endpoint, stops the
     * loops. Idempotent. For a stop that lets connections finish, see
     * {@link io.fulcrum.dataplane.lifecycle.Drain}.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        applier.close();
        stopAdmin();
        loops.close();
        accessLogs.close();
        log.info("data plane {} stopped", options.nodeId());
    }

    private static List<String> loopNames(int count) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add(String.valueOf(i));
        }
        return names;
    }
}
