package io.fulcrum.dataplane.lifecycle;

import io.fulcrum.proto.v1.Config;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves applied configs to a {@link LastGoodStore} on a thread of its own, so the sync thread
 * never waits for a disk: {@link #save} returns at once, and configs handed in while a save runs
 * coalesce (the latest wins). A failing save never reaches the caller: it is counted in
 * {@code fulcrum_lastgood_writes_total{result="failed"}} and logged once (WARN) until a save
 * works again (INFO). Thread-safe.
 */
public final class LastGoodWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LastGoodWriter.class);

    private final LastGoodStore store;
    private final String nodeId;
    private final Clock clock;
    private final LastGoodMetrics metrics;
    private final ExecutorService thread;
    private final AtomicReference<Config> pending = new AtomicReference<>();
    private boolean failing; // writer thread only

    /** Registers the {@code fulcrum_lastgood_*} metrics in {@code registry}. */
    public LastGoodWriter(LastGoodStore store, String nodeId, Clock clock, PrometheusRegistry registry) {
        this.store = store;
        this.nodeId = nodeId;
        this.clock = clock;
        this.metrics = new LastGoodMetrics(registry);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fulcrum-lastgood-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Records that {@code lastGood} was loaded and applied at start ({@code fulcrum_lastgood_loaded_version}). */
    public void loaded(LastGood lastGood) {
        metrics.loadedVersion.set(lastGood.version());
        metrics.savedVersion.set(lastGood.version());
    }

    /**
     * Saves {@code config} (an applied one, cluster id and version set) soon; returns at once.
     * After {@link #close()} it does nothing.
     */
    public void save(Config config) {
        if (pending.getAndSet(config) == null) {
            try {
                thread.execute(this::saveLatest);
            } catch (RejectedExecutionException closed) {
                pending.set(null);
            }
        }
    }

    private void saveLatest() {
        Config config = pending.getAndSet(null);
        if (config == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            store.save(LastGood.of(nodeId, config, clock.millis()));
            metrics.writeSeconds.observe((System.nanoTime() - started) / 1e9);
            metrics.writes.labelValues("ok").inc();
            metrics.savedVersion.set(config.getVersion());
            if (failing) {
                failing = false;
                log.info("saved the last-good config again (version {} in {})", config.getVersion(), store.file());
            }
        } catch (RuntimeException e) {
            metrics.writes.labelValues("failed").inc();
            if (!failing) {
                failing = true;
                log.warn("cannot save the last-good config (version {}): {}; syncing goes on, but a restart without a "
                        + "control plane would start empty (logged once until a save works)", config.getVersion(), e.getMessage());
            }
        }
    }

    /** Finishes a pending save (waiting up to 5 s), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the last-good config save did not finish within 5 s");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
