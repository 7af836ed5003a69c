package io.fulcrum.dataplane.vip;

import io.fulcrum.config.schema.Vrrp;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Fleet;
import io.fulcrum.proto.v1.Vip;
import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.VrrpState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and watches this node's keepalived for the VIPs of the applied config it takes part in
 * (docs/vip.md). Every {@value #TICK_MS} ms, on its own thread: works out the VRRP instances from
 * the config and the control plane's fleet ({@link VrrpPlan}); writes keepalived's config only
 * when that changes (the VIPs or their members: an ordinary config change never reloads
 * keepalived) and reloads it then; starts keepalived again when it died; and writes each
 * instance's track file: 0 (fresh), -{@value VrrpPlan#STALE_PENALTY} (stale, see
 * {@link Staleness}) or -254 (FAULT: the node does not serve, or leaves).
 *
 * <p>Thread-safe: {@link #fleet} comes from the sync thread, {@link #statuses} is read by the sync
 * client and /metrics, {@link #leave} by the drain.
 */
public final class VipSupervisor implements AutoCloseable {
    static final long TICK_MS = 100;
    /** How long another node must be ahead before this one counts as stale. */
    static final long STALE_GRACE_MS = 1500;
    private static final int FAULT = -254;
    private static final Logger log = LoggerFactory.getLogger(VipSupervisor.class);

    private final VipNode node;
    private final Path dir;
    private final Clock clock;
    private final LocalAddress.Interfaces interfaces;
    private final KeepalivedProcess keepalived;
    private volatile NotifyFifo fifo;
    private final ScheduledExecutorService thread;
    private final Staleness staleness = new Staleness(STALE_GRACE_MS);
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> transitions = new ConcurrentHashMap<>();
    private final Map<Path, Integer> trackValues = new HashMap<>();
    private final Map<String, VrrpInstance> planned = new HashMap<>();
    private volatile Fleet fleet;
    private volatile boolean leaving;
    private volatile boolean closed;
    private volatile List<VipStatus> statuses = List.of();
    private volatile Runnable onChange = () -> { };
    private String written = "";
    private long restartAt;
    private long startedAt;
    private int failures;
    private volatile String keepalivedError = "";

    private VipSupervisor(VipNode node, String keepalivedBinary, Path dir, Clock clock, LocalAddress.Interfaces interfaces) {
        this.node = node;
        this.dir = dir;
        this.clock = clock;
        this.interfaces = interfaces;
        this.keepalived = new KeepalivedProcess(keepalivedBinary, dir.resolve("keepalived.conf"), dir);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            // this thread starts keepalived: it must live as long as the node (see KeepalivedProcess)
            Thread t = new Thread(r, "fulcrum-vip-" + node.nodeId());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts supervising; keepalived itself starts once the node has a config with a VIP it takes
     * part in and the control plane has listed it.
     *
     * @param dir where keepalived's config, track files, FIFO, pid files and log go; made when
     *            the first VIP needs keepalived (a node without VIPs writes nothing)
     */
    public static VipSupervisor start(VipNode node, String keepalivedBinary, Path dir, PrometheusRegistry metrics) {
        return start(node, keepalivedBinary, dir, metrics, LocalAddress.Interfaces.SYSTEM);
    }

    /** As {@link #start(VipNode, String, Path, PrometheusRegistry)}, with the host's interfaces as given (tests). */
    static VipSupervisor start(VipNode node, String keepalivedBinary, Path dir, PrometheusRegistry metrics,
            LocalAddress.Interfaces interfaces) {
        VipSupervisor supervisor = new VipSupervisor(node, keepalivedBinary, dir, Clock.systemUTC(), interfaces);
        VipMetrics.register(metrics, () -> supervisor.statuses);
        supervisor.thread.scheduleWithFixedDelay(supervisor::tickSafely, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return supervisor;
    }

    /** The control plane's latest fleet. Returns at once. */
    public void fleet(Fleet latest) {
        fleet = latest;
    }

    /** This node's role for each VIP it takes part in (for Heartbeat and /metrics). */
    public List<VipStatus> statuses() {
        return statuses;
    }

    /** Run when {@link #statuses} changed (e.g. send a heartbeat now). */
    public void onChange(Runnable action) {
        onChange = action;
    }

    /**
     * Drain step 1: the node stops being a candidate (FAULT: keepalived gives the address up and
     * tells the backups at once). Returns once no VIP is held here any more, plus a moment for the
     * new master to announce itself, or after {@code max}.
     */
    public void leave(Duration max) {
        boolean wasMaster = states.containsValue(VrrpState.VRRP_STATE_MASTER);
        leaving = true;
        long deadline = clock.millis() + max.toMillis();
        try {
            thread.submit(this::tickSafely).get(max.toMillis(), TimeUnit.MILLISECONDS);
            while (states.containsValue(VrrpState.VRRP_STATE_MASTER) && clock.millis() < deadline) {
                Thread.sleep(10);
            }
            if (wasMaster) {
                // the backup takes over after its skew time (under a second) and sends gratuitous ARPs
                Thread.sleep(Math.min(Math.max(0, deadline - clock.millis()), 300 + Math.min(1000, longestAdvert())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("leaving the VIPs: {}", e.toString());
        }
        log.info("data plane {} left its VIPs{}", node.nodeId(), wasMaster ? " (it held one)" : "");
    }

    private int longestAdvert() {
        return node.appliedConfig().map(c -> c.getVipsList().stream().mapToInt(Vip::getAdvertIntervalMs).max().orElse(0)).orElse(0);
    }

    private void changed(String vip, VrrpState state, int priority) {
        VrrpState before = states.put(vip, state);
        if (before != state) {
            transitions.computeIfAbsent(vip, v -> new AtomicLong()).incrementAndGet();
            log.info("vip {}: {} -> {} (priority {})", vip, before == null ? "INIT" : VipMetrics.name(before).toUpperCase(),
                    VipMetrics.name(state).toUpperCase(), priority);
            thread.execute(this::tickSafely);
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("VIP supervision: {}", e.toString());
        }
    }

    private void tick() {
        if (closed) {
            return; // a tick queued before close must not start keepalived again
        }
        Config config = node.appliedConfig().orElse(null);
        List<VipStatus> next = new ArrayList<>();
        List<VrrpInstance> instances = new ArrayList<>();
        List<Integer> tracks = new ArrayList<>();
        long now = clock.millis();
        boolean serving = node.serving() && !leaving;
        java.util.Set<String> vipAddresses = config == null ? java.util.Set.of() : config.getVipsList().stream()
                .map(v -> v.getAddress().substring(0, v.getAddress().indexOf('/'))).collect(java.util.stream.Collectors.toSet());
        for (Vip vip : config == null ? List.<Vip>of() : config.getVipsList()) {
            if (!Vrrp.selects(vip.getSelectorMap(), node.labels())) {
                continue;
            }
            VipStatus.Builder status = VipStatus.newBuilder().setVip(vip.getName());
            LocalAddress local = null;
            try {
                local = LocalAddress.find(vip.getAddress(), vip.getInterface(), vipAddresses, interfaces);
                status.setNodeAddress(local.address()).setInterface(local.device());
            } catch (IllegalStateException e) {
                status.setError(e.getMessage());
            }
            if (status.getError().isEmpty() && !keepalivedError.isEmpty()) {
                status.setError(keepalivedError);
            }
            VrrpInstance instance = instanceFor(vip, local);
            boolean stale = staleness.stale(vip, node.nodeId(), config, fleet, now);
            if (instance != null) {
                instances.add(instance);
                tracks.add(!serving ? FAULT : stale ? -VrrpPlan.STALE_PENALTY : 0);
                status.setPriority(instance.priority());
            }
            VrrpState state = instance == null ? VrrpState.VRRP_STATE_STOPPED
                    : states.getOrDefault(vip.getName(), VrrpState.VRRP_STATE_INIT);
            next.add(status.setState(state).setStale(stale)
                    .setTransitions(transitions.getOrDefault(vip.getName(), new AtomicLong()).get()).build());
        }
        planned.keySet().retainAll(next.stream().map(VipStatus::getVip).toList());
        if (prepared(instances)) {
            writeTracks(tracks);
            runKeepalived(instances, now);
        }
        if (!next.equals(statuses)) {
            boolean news = !withoutCounts(next).equals(withoutCounts(statuses));
            statuses = List.copyOf(next);
            if (news) {
                onChange.run();
            }
        }
    }

    /**
     * The plan's instance; while the fleet does not list this node (a moment while it moves to
     * another member, say), the one planned before, so that keepalived is not stopped for it.
     */
    private VrrpInstance instanceFor(Vip vip, LocalAddress local) {
        VrrpInstance instance = VrrpPlan.plan(vip, node.nodeId(), local, fleet).instance();
        VrrpInstance before = planned.get(vip.getName());
        if (instance == null && local != null && before != null && before.address().equals(vip.getAddress())
                && before.routerId() == vip.getRouterId() && before.source().equals(local.address())) {
            return before;
        }
        if (instance == null) {
            planned.remove(vip.getName());
        } else {
            planned.put(vip.getName(), instance);
        }
        return instance;
    }

    private static List<VipStatus> withoutCounts(List<VipStatus> list) {
        return list.stream().map(s -> s.toBuilder().clearTransitions().build()).toList();
    }

    private void writeTracks(List<Integer> values) {
        for (int i = 0; i < values.size(); i++) {
            Path file = KeepalivedConfig.trackFile(dir, i);
            if (!values.get(i).equals(trackValues.get(file))) {
                writeAtomically(file, values.get(i) + "\n");
                trackValues.put(file, values.get(i));
            }
        }
    }

    private void runKeepalived(List<VrrpInstance> instances, long now) {
        if (instances.isEmpty()) {
            if (keepalived.alive()) {
                log.info("data plane {} takes part in no VIP now: stopping keepalived", node.nodeId());
                keepalived.stop(Duration.ofSeconds(5));
                states.replaceAll((vip, state) -> VrrpState.VRRP_STATE_STOPPED);
            }
            written = "";
            return;
        }
        String text = KeepalivedConfig.render(node.nodeId(), instances, dir, dir.resolve("keepalived.fifo"));
        try {
            if (!text.equals(written)) {
                writeAtomically(dir.resolve("keepalived.conf"), text);
                boolean running = keepalived.alive();
                written = text;
                if (running) {
                    log.info("VIPs or their members changed: keepalived reloads ({} instance(s))", instances.size());
                    keepalived.reload();
                    return;
                }
            }
            if (keepalived.alive() && now - startedAt > 10_000) {
                failures = 0;
                keepalivedError = "";
            }
            if (!keepalived.alive() && now >= restartAt) {
                if (keepalived.exitCode() >= 0) {
                    failures++;
                    keepalivedError = "keepalived exited with code " + keepalived.exitCode() + " (see " + dir.resolve("keepalived.log") + ")";
                    log.warn("{}: starting it again in {} ms", keepalivedError, restartDelay());
                    restartAt = now + restartDelay();
                    keepalived.forget();
                    return;
                }
                states.clear();
                startedAt = now;
                keepalived.start();
                log.info("keepalived started for {} VIP(s): {}", instances.size(),
                        instances.stream().map(i -> i.vip() + " priority " + i.priority()).toList());
            }
        } catch (IOException e) {
            failures++;
            restartAt = now + restartDelay();
            if (!keepalivedError.equals("cannot run keepalived: " + e.getMessage())) {
                keepalivedError = "cannot run keepalived: " + e.getMessage();
                log.warn("{} (install it, Debian: keepalived; or give --keepalived)", keepalivedError);
            }
        }
    }

    /** Makes the directory and the FIFO the first time keepalived is needed; false (logged once) when it cannot. */
    private boolean prepared(List<VrrpInstance> instances) {
        if (fifo != null || instances.isEmpty()) {
            return true;
        }
        try {
            Files.createDirectories(dir);
            fifo = NotifyFifo.open(dir.resolve("keepalived.fifo"), this::changed, "fulcrum-vip-fifo-" + node.nodeId());
            return true;
        } catch (IOException | UncheckedIOException e) {
            String error = "cannot prepare " + dir + " for keepalived: " + e.getMessage();
            if (!error.equals(keepalivedError)) {
                keepalivedError = error;
                log.warn(error);
            }
            return false;
        }
    }

    /** 1 s after the first failure, doubling up to 30 s. */
    private long restartDelay() {
        return Math.min(30_000, 1000L << Math.min(5, Math.max(0, failures - 1)));
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stops keepalived (it gives its addresses up) and the supervision. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.submit(() -> keepalived.stop(Duration.ofSeconds(5))).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("stopping keepalived: {}", e.toString());
        }
        thread.shutdownNow();
        if (fifo != null) {
            fifo.close();
        }
    }
}
