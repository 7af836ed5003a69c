package io.fulcrum.controlplane.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.DiscoveryRules;
import io.fulcrum.config.schema.DiscoverySettings;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.testing.MutableClock;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The discovery loop against a scripted source and an in-memory commit, one tick at a time. */
@Timeout(30)
class DiscoveryTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicBoolean leads = new AtomicBoolean(true);
    private final AtomicReference<ConfigModel> model = new AtomicReference<>(initial());
    private final List<Batch> committed = new ArrayList<>();
    private final ScriptedLookup source = new ScriptedLookup();
    private final Discovery discovery = new Discovery(leads::get, model::get, this::commit, source,
            new DiscoveryMetrics(new PrometheusRegistry()), clock, Runnable::run, null);

    private static ConfigModel initial() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec("add server-group redis timeout 500 period 1000 up 2 down 3 discovery srv:_redis._tcp.consul "
                + "discovery-interval 1000 discovery-hold-empty 5000");
        return interpreter.model();
    }

    private CompletableFuture<?> commit(Batch batch) {
        Batch stamped = batch.toBuilder().setPrincipal(DiscoveryRules.PRINCIPAL).build();
        ConfigModel current = model.get();
        try {
            model.set(current.apply(stamped, current.version() + 1).model());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        committed.add(batch);
        return CompletableFuture.completedFuture(null);
    }

    /** Answers with what the test set last; fails while {@code failure} is set. */
    static final class ScriptedLookup implements Lookup {
        volatile List<DiscoveredServer> answer = List.of();
        volatile String failure;
        int asked;

        @Override
        public CompletableFuture<List<DiscoveredServer>> lookup(DiscoverySettings settings) {
            asked++;
            return failure != null ? CompletableFuture.failedFuture(new LookupFailedException(failure))
                    : CompletableFuture.completedFuture(answer);
        }

        @Override
        public void close() {
        }
    }

    private static DiscoveredServer server(String name, String address, int weight) {
        return new DiscoveredServer(name, address, weight, 1);
    }

    private List<Server> servers() {
        return ((ServerGroup) model.get().find(Kind.SERVER_GROUP, null, "redis").orElseThrow()).getServersList();
    }

    private List<String> names() {
        return servers().stream().map(Server::getName).toList();
    }

    /** Moves the clock one interval on and runs a tick. */
    private void nextInterval() {
        clock.advance(Duration.ofMillis(1000));
        discovery.tick();
    }

    @Test
    void changesAreCommittedOncePerIntervalAndAnUnchangedAnswerCommitsNothing() {
        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 1), server("b.consul:6379", "10.0.0.2:6379", 1));
        discovery.tick();
        assertEquals(List.of("a.consul:6379", "b.consul:6379"), names());
        assertEquals(1, committed.size());
        assertTrue(committed.get(0).getComment().startsWith("discovery srv:_redis._tcp.consul: 2 servers +a.consul:6379"),
                committed.get(0).getComment());
        discovery.tick();
        assertEquals(1, source.asked, "not due before the interval has passed");
        nextInterval();
        assertEquals(1, committed.size(), "an unchanged answer commits nothing");
        assertTrue(discovery.view().state("redis").startsWith("source-state ok servers 2 last-success "));

        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 5), server("c.consul:6379", "10.0.0.3:6379", 1));
        nextInterval();
        assertEquals(2, committed.size());
        assertEquals(List.of("a.consul:6379", "c.consul:6379"), names());
        assertEquals(5, servers().get(0).getWeight(), "a server that stays is updated in place");
    }

    @Test
    void aFailingResolverKeepsTheServersVisiblyAndResolutionResumes() {
        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 1));
        discovery.tick();
        source.failure = "A _redis._tcp.consul at 127.0.0.1:8600: no answer within 500 ms";
        for (int i = 0; i < 5; i++) {
            nextInterval();
        }
        assertEquals(List.of("a.consul:6379"), names());
        String state = discovery.view().state("redis");
        assertTrue(state.startsWith("source-state holding-error servers 1 last-success "), state);
        assertTrue(state.endsWith("\"A _redis._tcp.consul at 127.0.0.1:8600: no answer within 500 ms\""), state);
        source.failure = null;
        source.answer = List.of(server("b.consul:6379", "10.0.0.2:6379", 1));
        nextInterval();
        assertEquals(List.of("b.consul:6379"), names());
        assertTrue(discovery.view().state("redis").startsWith("source-state ok"));
    }

    @Test
    void anEmptyAnswerRemovesTheServersOnlyAfterTheHoldTime() {
        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 1));
        discovery.tick();
        source.answer = List.of();
        for (int i = 0; i < 4; i++) {
            nextInterval();
        }
        assertEquals(List.of("a.consul:6379"), names(), "held for 4 s of a 5 s hold");
        assertTrue(discovery.view().state("redis").startsWith("source-state holding-empty servers 1 empty-since "));
        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 1));
        nextInterval();
        source.answer = List.of();
        for (int i = 0; i < 4; i++) {
            nextInterval();
        }
        assertEquals(List.of("a.consul:6379"), names(), "a non-empty answer restarts the hold");
        nextInterval();
        nextInterval();
        assertEquals(List.of(), names());
        assertTrue(discovery.view().state("redis").startsWith("source-state empty servers 0"));
    }

    @Test
    void onlyTheLeaderResolvesAndARacedCommitIsComputedAgain() {
        leads.set(false);
        source.answer = List.of(server("a.consul:6379", "10.0.0.1:6379", 1));
        discovery.tick();
        assertEquals(0, source.asked);
        assertEquals("source-state unknown (resolved by the leader)", discovery.view().state("redis"));
        leads.set(true);
        // another change lands between the answer and the commit: compare-and-set refuses it
        AtomicBoolean raced = new AtomicBoolean();
        Discovery racing = new Discovery(leads::get, model::get, batch -> {
            if (raced.compareAndSet(false, true)) {
                Interpreter other = new Interpreter(model.get(), (g, s) -> "UNKNOWN");
                other.exec("add upstream u");
                model.set(other.model());
            }
            return commit(batch);
        }, source, new DiscoveryMetrics(new PrometheusRegistry()), clock, Runnable::run, null);
        racing.tick();
        assertEquals(List.of(), names());
        assertTrue(racing.view().state("redis").contains("commit failed: "), racing.view().state("redis"));
        clock.advance(Duration.ofMillis(Discovery.TICK_MS));
        racing.tick();
        assertEquals(List.of("a.consul:6379"), names(), "computed again at the next tick, not an interval later");
    }
}
