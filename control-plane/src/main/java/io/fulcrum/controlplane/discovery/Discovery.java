package io.fulcrum.controlplane.discovery;

import com.google.protobuf.Message;
import io.fulcrum.config.command.SourceStateView;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.DiscoverySettings;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.ServerGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps discovered server groups' servers equal to what their sources answer. Runs while this
 * member leads: every tick it starts a resolution for each group whose interval has passed (one
 * at a time per group), applies the hold rules to the answer, and commits the difference between
 * the committed servers and the answer as one batch of the {@code (discovery)} principal with
 * the model version it was computed from (compare-and-set: a batch that raced another change
 * fails and is computed again at the next tick). Nothing is committed while the answer matches.
 * A new leader starts from the committed servers, so nothing is duplicated or lost.
 *
 * <p>All state is confined to one thread; {@link #view()} may be read from any thread.
 */
public final class Discovery implements AutoCloseable {
    static final long TICK_MS = 100;
    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    private final BooleanSupplier leader;
    private final Supplier<ConfigModel> model;
    private final Function<Batch, CompletableFuture<?>> commit;
    private final Lookup lookup;
    private final DiscoveryMetrics metrics;
    private final Clock clock;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Map<String, Source> sources = new HashMap<>();
    private final Map<String, Shown> shown = new ConcurrentHashMap<>();

    /** One group's source on this leader. */
    private static final class Source {
        final DiscoverySettings settings;
        SourceState state;
        boolean busy;
        long nextDueMs;

        Source(DiscoverySettings settings) {
            this.settings = settings;
            this.state = SourceState.start(settings.source().toString());
        }
    }

    private record Shown(SourceState state, int servers, int holdEmptyMs) {
    }

    Discovery(BooleanSupplier leader, Supplier<ConfigModel> model, Function<Batch, CompletableFuture<?>> commit,
            Lookup lookup, DiscoveryMetrics metrics, Clock clock, Executor executor, ScheduledExecutorService timer) {
        this.leader = leader;
        this.model = model;
        this.commit = commit;
        this.lookup = lookup;
        this.metrics = metrics;
        this.clock = clock;
        this.executor = executor;
        this.timer = timer;
    }

    /**
     * Starts resolving on this member whenever it leads.
     *
     * @param leader true while this member is the Raft leader
     * @param model  the committed config
     * @param commit commits a batch as the {@code (discovery)} principal; fails if it is rejected
     */
    public static Discovery start(BooleanSupplier leader, Supplier<ConfigModel> model,
            Function<Batch, CompletableFuture<?>> commit, PrometheusRegistry registry, Clock clock) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-discovery");
            thread.setDaemon(true);
            return thread;
        });
        Discovery discovery = new Discovery(leader, model, commit, new DnsLookup(), new DiscoveryMetrics(registry), clock,
                timer, timer);
        timer.scheduleWithFixedDelay(discovery::guardedTick, 0, TICK_MS, TimeUnit.MILLISECONDS);
        return discovery;
    }

    /** What {@code list-detail server-group} shows about each discovered group's source on this member. */
    public SourceStateView view() {
        return group -> {
            Shown entry = shown.get(group);
            if (entry == null) {
                return leader.getAsBoolean() ? "source-state resolving" : "source-state unknown (resolved by the leader)";
            }
            return entry.state().describe(entry.servers(), entry.holdEmptyMs(), clock.millis());
        };
    }

    private void guardedTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("discovery tick failed", e);
        }
    }

    /** One round: start the resolutions that are due. Runs on the discovery thread. */
    void tick() {
        boolean leads = leader.getAsBoolean();
        metrics.leading(leads);
        if (!leads) {
            if (!sources.isEmpty()) {
                sources.keySet().forEach(metrics::forget);
                sources.clear();
                shown.clear();
            }
            return;
        }
        long now = clock.millis();
        Set<String> present = new HashSet<>();
        for (Message resource : model.get().list(Kind.SERVER_GROUP)) {
            ServerGroup group = (ServerGroup) resource;
            DiscoverySettings settings = DiscoverySettings.of(group);
            if (settings == null) {
                continue;
            }
            String name = group.getName();
            present.add(name);
            Source source = sources.get(name);
            if (source == null || !source.settings.equals(settings)) {
                source = new Source(settings);
                sources.put(name, source);
                publish(name, source, group.getServersCount());
            }
            if (source.busy || now < source.nextDueMs) {
                continue;
            }
            source.busy = true;
            source.nextDueMs = now + settings.intervalMs();
            Source resolving = source;
            lookup.lookup(settings).whenCompleteAsync((answer, failure) -> resolved(name, resolving, answer, failure),
                    executor);
        }
        for (String gone : Set.copyOf(sources.keySet())) {
            if (!present.contains(gone)) {
                sources.remove(gone);
                shown.remove(gone);
                metrics.forget(gone);
            }
        }
    }

    private void resolved(String name, Source source, List<DiscoveredServer> answer, Throwable failure) {
        source.busy = false;
        if (sources.get(name) != source || !leader.getAsBoolean()) {
            return;
        }
        long now = clock.millis();
        ServerGroup group = (ServerGroup) model.get().find(Kind.SERVER_GROUP, null, name).orElse(null);
        int count = group == null ? 0 : group.getServersCount();
        if (failure != null) {
            if (!source.state.failing()) {
                log.warn("discovery of server-group {} ({}) failed, keeping its {} servers: {}", name,
                        source.settings.source(), count, message(failure));
            }
            source.state = source.state.failed(now, message(failure));
            metrics.failure(name);
            publish(name, source, count);
            return;
        }
        if (source.state.failing()) {
            log.info("discovery of server-group {} ({}) answers again", name, source.settings.source());
        }
        source.state = source.state.answered(now, answer.isEmpty());
        ConfigModel current = model.get();
        if (group == null || !source.settings.equals(DiscoverySettings.of(group))) {
            return;
        }
        List<DiscoveredServer> desired = source.state.desired(answer, now, source.settings.holdEmptyMs());
        List<Mutation> mutations = desired == null ? List.of() : ServerListDiff.of(name, group.getServersList(), desired);
        publish(name, source, count);
        if (mutations.isEmpty()) {
            return;
        }
        Batch batch = Batch.newBuilder().addAllMutations(mutations).setExpectedVersion(current.version())
                .setComment(comment(source, desired.size(), mutations)).build();
        source.busy = true;
        commit.apply(batch).whenCompleteAsync((ignored, error) -> committed(name, source, error, desired.size()), executor);
    }

    private void committed(String name, Source source, Throwable error, int servers) {
        source.busy = false;
        if (sources.get(name) != source) {
            return;
        }
        if (error != null) {
            // computed again at the next tick, from the model as it is then
            source.nextDueMs = 0;
            source.state = source.state.failed(clock.millis(), "commit failed: " + message(error));
            log.debug("discovery commit for server-group {} failed: {}", name, message(error));
        } else {
            metrics.commit(name);
        }
        publish(name, source, error != null ? currentCount(name) : servers);
    }

    private int currentCount(String name) {
        return model.get().find(Kind.SERVER_GROUP, null, name).map(g -> ((ServerGroup) g).getServersCount()).orElse(0);
    }

    private void publish(String name, Source source, int servers) {
        shown.put(name, new Shown(source.state, servers, source.settings.holdEmptyMs()));
        String condition = source.state.condition(servers, source.settings.holdEmptyMs(), clock.millis());
        metrics.publish(name, source.state, servers, condition.startsWith("holding"));
    }

    private static String comment(Source source, int servers, List<Mutation> mutations) {
        StringBuilder comment = new StringBuilder("discovery ").append(source.settings.source()).append(": ")
                .append(servers).append(servers == 1 ? " server" : " servers");
        for (Mutation mutation : mutations) {
            String verb = switch (mutation.getAction()) {
                case MUTATION_ACTION_ADD -> "+";
                case MUTATION_ACTION_REMOVE -> "-";
                default -> "~";
            };
            if (comment.length() > 400) {
                return comment.append(" ...").toString();
            }
            comment.append(" ").append(verb).append(mutation.getServer().getServer().getName());
        }
        return comment.toString();
    }

    private static String message(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        lookup.close();
    }
}
