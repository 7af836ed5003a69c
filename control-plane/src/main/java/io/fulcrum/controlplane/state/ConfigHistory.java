package io.fulcrum.controlplane.state;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.proto.v1.ConfigChanged;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The recent past of the config on this member: the last {@link #MODELS} models (for Get/List at a
 * version) and the last {@link #EVENTS} change events (for Watch from a version). Kept in memory
 * only: after a restart it starts again from the state the member recovered. Thread-safe.
 */
public final class ConfigHistory {
    static final int MODELS = 64;
    static final int EVENTS = 1000;

    private final Deque<ConfigModel> models = new ArrayDeque<>();
    private final Deque<ConfigChanged> events = new ArrayDeque<>();
    /** The newest version whose change event is not held (evicted, or before a restart). */
    private long newestForgotten;

    synchronized void reset(ConfigModel model) {
        models.clear();
        events.clear();
        models.addLast(model);
        newestForgotten = model.version();
    }

    synchronized void record(ConfigModel model, ConfigChanged event) {
        models.addLast(model);
        if (models.size() > MODELS) {
            models.removeFirst();
        }
        events.addLast(event);
        if (events.size() > EVENTS) {
            newestForgotten = events.removeFirst().getVersion();
        }
    }

    /** The model at exactly {@code version}, or null if this member no longer holds it. */
    public synchronized ConfigModel at(long version) {
        for (ConfigModel model : models) {
            if (model.version() == version) {
                return model;
            }
        }
        return null;
    }

    /** When the change that made {@code version} was proposed (leader clock, Unix ms), if still held. */
    public synchronized Long committedAt(long version) {
        for (ConfigChanged event : events) {
            if (event.getVersion() == version) {
                return event.getCommittedUnixMs();
            }
        }
        return null;
    }

    /** "versions 12..40": what {@link #at} can answer, for error messages. */
    public synchronized String heldVersions() {
        return models.isEmpty() ? "none" : "versions " + models.getFirst().version() + ".." + models.getLast().version();
    }

    /**
     * The change events after {@code version}, oldest first, or null if some of them are no longer
     * held (the caller must start from a full read instead).
     */
    public synchronized List<ConfigChanged> since(long version) {
        if (version < newestForgotten) {
            return null;
        }
        List<ConfigChanged> after = new ArrayList<>();
        for (ConfigChanged event : events) {
            if (event.getVersion() > version) {
                after.add(event);
            }
        }
        return after;
    }
}
