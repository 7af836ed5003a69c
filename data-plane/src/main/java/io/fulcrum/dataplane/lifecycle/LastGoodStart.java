package io.fulcrum.dataplane.lifecycle;

import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.proto.v1.Config;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cold start of a node that follows a control plane: before any member answers, the
 * last-good config is loaded and applied through the node's ordinary apply, so the node serves
 * what it served before the restart. A missing, unusable or unappliable file means an empty
 * start, never a failed one; each case is one log line.
 */
public final class LastGoodStart {
    private static final Logger log = LoggerFactory.getLogger(LastGoodStart.class);

    private LastGoodStart() {
    }

    /**
     * Loads the store's config and applies it with {@code apply}.
     *
     * @return the config applied, or empty when there was none to apply or it was rejected (the
     *         file is then kept: the next applied snapshot replaces it)
     */
    public static Optional<LastGood> resume(LastGoodStore store, String nodeId, Function<Config, ApplyResult> apply,
            LastGoodWriter writer) {
        Optional<LastGood> loaded = store.load(nodeId);
        if (loaded.isEmpty()) {
            log.info("no last-good config in {}; starting empty until a control plane answers", store.file().getParent());
            return Optional.empty();
        }
        LastGood lastGood = loaded.get();
        ApplyResult result = apply.apply(lastGood.config());
        if (!result.isApplied()) {
            log.warn("the last-good config version {} in {} cannot be applied: {}; starting empty until a control plane answers",
                    lastGood.version(), store.file(), result.error());
            return Optional.empty();
        }
        writer.loaded(lastGood);
        log.info("serving the last-good config version {} of cluster {} from {} (saved {}) until a control plane answers",
                lastGood.version(), lastGood.clusterId(), store.file(), Instant.ofEpochMilli(lastGood.savedAtMillis()));
        return loaded;
    }

    /** The /ready note while no control plane has answered yet. */
    public static String readinessNote(LastGood lastGood) {
        return "serving last-good config version " + lastGood.version() + " from disk (saved "
                + Instant.ofEpochMilli(lastGood.savedAtMillis()) + "); no control plane reached yet";
    }
}
