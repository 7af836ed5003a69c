package io.fulcrum.dataplane.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.dataplane.testing.Metrics;
import io.fulcrum.dataplane.testing.Poll;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LastGoodWriterTest {
    @TempDir
    Path dir;

    private final PrometheusRegistry registry = new PrometheusRegistry();

    @Test
    void savesOffTheCallersThreadAndTheLatestWins() {
        LastGoodStore store = new LastGoodStore(dir.resolve("dp1"), Clock.systemUTC());
        try (LastGoodWriter writer = new LastGoodWriter(store, "dp1", Clock.systemUTC(), registry)) {
            for (long version = 1; version <= 50; version++) {
                writer.save(LastGoodConfigs.small(version));
            }
        }
        assertEquals(50, store.load("dp1").orElseThrow().version(), "close finishes the pending save");
        assertEquals(50.0, Metrics.value(registry, "fulcrum_lastgood_saved_version"));
        double ok = Metrics.value(registry, "fulcrum_lastgood_writes_total", "result", "ok");
        assertEquals(true, ok >= 1 && ok <= 50, "coalesced: " + ok);
    }

    @Test
    void aFailingSaveIsCountedNeverThrownAndTheNextOneWorksAgain() throws IOException {
        Path blocker = Files.writeString(dir.resolve("dp1"), "a file where the directory should be");
        LastGoodStore store = new LastGoodStore(blocker, Clock.systemUTC());
        try (LastGoodWriter writer = new LastGoodWriter(store, "dp1", Clock.systemUTC(), registry)) {
            writer.save(LastGoodConfigs.small(1));
            Poll.until(Duration.ofSeconds(10), () -> failed() == 1, "one failure counted");
            writer.save(LastGoodConfigs.small(2));
            Poll.until(Duration.ofSeconds(10), () -> failed() == 2, "two failures counted");

            Files.delete(blocker);
            writer.save(LastGoodConfigs.small(3));
            Poll.until(Duration.ofSeconds(10), () -> Metrics.value(registry, "fulcrum_lastgood_writes_total", "result", "ok") == 1,
                    "a save works again");
        }
        assertEquals(3, store.load("dp1").orElseThrow().version());
    }

    private double failed() {
        return Metrics.value(registry, "fulcrum_lastgood_writes_total", "result", "failed");
    }
}
