package io.fulcrum.dataplane;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.dataplane.accesslog.AccessLogs;
import io.fulcrum.dataplane.health.HealthRegistry;
import io.fulcrum.dataplane.http.BackendPools;
import io.fulcrum.dataplane.http.HttpConnections;
import io.fulcrum.dataplane.metrics.TrafficStats;
import io.fulcrum.dataplane.proxy.Acceptor;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.runtime.EventLoops;
import io.fulcrum.dataplane.runtime.InheritedSockets;
import io.fulcrum.dataplane.runtime.Listener;
import io.fulcrum.dataplane.runtime.LoopKey;
import io.fulcrum.dataplane.runtime.RejectedConfigException;
import io.fulcrum.dataplane.runtime.Route;
import io.fulcrum.dataplane.runtime.Runtime;
import io.fulcrum.dataplane.runtime.RuntimeBuilder;
import io.fulcrum.dataplane.runtime.SlowStarts;
import io.fulcrum.dataplane.runtime.Transport;
import io.fulcrum.proto.v1.Config;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies configs one at a time: validate, build the next {@link Runtime}, bind its new listeners,
 * and only then swap it in, close the listeners it dropped, move health checks over and retire
 * unused event loops. Anything failing before the swap rejects the config whole and leaves the
 * running one untouched.
 */
final class ConfigApplier {
    private static final Logger log = LoggerFactory.getLogger(ConfigApplier.class);

    private final Transport transport;
    private final EventLoops loops;
    private final Set<LoopKey> builtInLoops;
    private final RuntimeBuilder builder;
    private final HealthRegistry health;
    private final TrafficStats stats;
    private final BackendPools pools;
    private final AccessLogs accessLogs;
    private final HttpConnections httpConnections;
    private volatile Runtime current = Runtime.empty();
    private volatile Config appliedConfig;
    private volatile boolean applied;
    private Map<String, Listener> listeners = new LinkedHashMap<>();
    private InheritedSockets inherited = InheritedSockets.none();
    private boolean closed;
    private boolean stoppedAccepting;
    /** While a takeover is offered: applies wait, so the offered config and sockets stay what they are. */
    private boolean held;

    ConfigApplier(Transport transport, EventLoops loops, Set<LoopKey> builtInLoops, RuntimeBuilder builder,
            HealthRegistry health, TrafficStats stats, BackendPools pools, AccessLogs accessLogs,
            HttpConnections httpConnections) {
        this.transport = transport;
        this.loops = loops;
        this.builtInLoops = Set.copyOf(builtInLoops);
        this.builder = builder;
        this.health = health;
        this.stats = stats;
        this.pools = pools;
        this.accessLogs = accessLogs;
        this.httpConnections = httpConnections;
    }

    synchronized ApplyResult apply(Config config) {
        long version = config.getVersion();
        awaitRelease();
        if (closed) {
            return reject(version, "the data plane is closed");
        }
        if (stoppedAccepting) {
            return reject(version, "the data plane is draining (it stops; configs are no longer applied)");
        }
        try {
            ConfigModel.fromConfig(config);
        } catch (ConfigException e) {
            return reject(version, "invalid config: " + e.getMessage());
        }
        Runtime next;
        try {
            next = builder.build(config);
        } catch (RejectedConfigException e) {
            return rejectAndRetire(version, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("building config version {} failed", version, e);
            return rejectAndRetire(version, "cannot build config version " + version + ": " + e);
        }
        Map<String, Listener> bound = new LinkedHashMap<>();
        try {
            for (Route route : next.routes().values()) {
                Listener existing = listeners.get(route.name());
                if (existing == null || !existing.spec().equals(route.spec())) {
                    bound.put(route.name(), Listener.bind(route.spec(), route.acceptors(), transport,
                            new Acceptor(route, transport, health, pools, httpConnections),
                            inherited.take(route.spec().address())));
                }
            }
        } catch (RejectedConfigException e) {
            bound.values().forEach(Listener::close);
            return rejectAndRetire(version, e.getMessage());
        }
        swap(next, bound);
        appliedConfig = config;
        inherited.closeRest();
        log.info("config version {} applied: {} listeners, {} server groups, {} servers", version,
                next.routes().size(), next.groups().size(), next.serverKeys().size());
        return ApplyResult.applied(version);
    }

    private void swap(Runtime next, Map<String, Listener> bound) {
        Runtime previous = current;
        SlowStarts.begin(previous, next, System.nanoTime());
        health.install(next.healthStatuses());
        current = next;
        Map<String, Listener> kept = new LinkedHashMap<>();
        for (Route route : next.routes().values()) {
            Listener listener = bound.get(route.name());
            if (listener == null) {
                listener = listeners.get(route.name());
                ((Acceptor) listener.acceptor()).route(route);
            }
            kept.put(route.name(), listener);
        }
        for (Map.Entry<String, Listener> old : listeners.entrySet()) {
            if (kept.get(old.getKey()) != old.getValue()) {
                old.getValue().close();
            }
        }
        listeners = kept;
        previous.stopHealthChecks();
        next.startHealthChecks();
        stats.retain(next.routes().keySet(), next.serverKeys(), next.groups().keySet());
        accessLogs.retain(next.accessLogDestinations());
        builder.retainTlsContextsOf(next);
        loops.retainOnly(inUse(next));
        pools.forgetStoppedLoops();
        applied = true;
    }

    private ApplyResult rejectAndRetire(long version, String error) {
        loops.retainOnly(inUse(current));
        accessLogs.retain(current.accessLogDestinations());
        return reject(version, error);
    }

    private ApplyResult reject(long version, String error) {
        log.warn("config version {} rejected: {}", version, error);
        return ApplyResult.rejected(version, error);
    }

    private Set<LoopKey> inUse(Runtime runtime) {
        Set<LoopKey> inUse = new HashSet<>(runtime.loopsInUse());
        inUse.addAll(builtInLoops);
        return inUse;
    }

    /** The applied config and its listeners, taken together, for a takeover offer. */
    record Handover(Config config, Map<String, Listener> listeners) {
    }

    /**
     * The applied config and its listeners as one consistent pair; applies wait from now until
     * {@link #release()} (at most {@link #HOLD_MILLIS}), so what was offered is what is handed over.
     */
    synchronized Handover hold() {
        held = true;
        return new Handover(appliedConfig, Map.copyOf(listeners));
    }

    /** Applies go on (the takeover went ahead, failed or was abandoned). */
    synchronized void release() {
        held = false;
        notifyAll();
    }

    /** Longest an apply waits for a takeover to go ahead or fail. */
    static final long HOLD_MILLIS = 15_000;

    private void awaitRelease() {
        long deadline = System.currentTimeMillis() + HOLD_MILLIS;
        try {
            while (held && System.currentTimeMillis() < deadline) {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sockets handed over by a process this one takes over from: the next apply adopts those of
     * its listeners' addresses instead of binding new ones, and closes the rest.
     */
    synchronized void inherit(InheritedSockets sockets) {
        inherited = sockets;
    }

    /** The listeners of the applied config, by name. */
    synchronized Map<String, Listener> listeners() {
        return Map.copyOf(listeners);
    }

    /** The config applied last, or null before any. */
    Config appliedConfig() {
        return appliedConfig;
    }

    Runtime current() {
        return current;
    }

    boolean hasApplied() {
        return applied;
    }

    synchronized Optional<Listener> listener(String name) {
        return Optional.ofNullable(listeners.get(name));
    }

    /**
     * Closes every listener (returns once their sockets are closed) and refuses configs from now
     * on; health checks go on for the connections still open. Idempotent.
     */
    synchronized void stopAccepting() {
        stoppedAccepting = true;
        listeners.values().forEach(Listener::close);
        listeners = new LinkedHashMap<>();
    }

    /**
     * After a takeover: like {@link #stopAccepting()}, but the sockets stay open in the process
     * that took them over, so each is taken out of its loop's epoll set before it is closed here.
     */
    synchronized void handOver() {
        stoppedAccepting = true;
        listeners.values().forEach(Listener::handOver);
        listeners = new LinkedHashMap<>();
        release();
    }

    /** Stops checks and listeners; connections are left to the loops' shutdown. */
    synchronized void close() {
        closed = true;
        inherited.closeRest();
        release();
        current.stopHealthChecks();
        listeners.values().forEach(Listener::close);
        listeners = new LinkedHashMap<>();
    }
}
