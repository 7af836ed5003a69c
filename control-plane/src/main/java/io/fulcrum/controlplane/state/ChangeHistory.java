package io.fulcrum.controlplane.state;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ValidationException;
import io.fulcrum.controlplane.internal.HistoryRecord;
import io.fulcrum.proto.v1.Config;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained history of config changes, replicated: the last {@link #RETAINED} applied batches
 * with who, when, request id, comment and command text, plus the config at the version just before
 * the oldest of them (the base). Any version from the base on can be reconstructed by replaying
 * the batches on the base. It is part of the Raft snapshot, so it survives snapshots and restarts;
 * retention counts batches, so every member holds the same history.
 *
 * <p>Written by the Raft apply thread; reads are safe from any thread.
 */
public final class ChangeHistory {
    /** How many applied batches are kept (documented in docs/history.md). */
    public static final int RETAINED = 1000;
    private static final Logger log = LoggerFactory.getLogger(ChangeHistory.class);

    private final int retained;
    private final Deque<HistoryRecord> records = new ArrayDeque<>();
    private ConfigModel base = ConfigModel.empty();

    public ChangeHistory() {
        this(RETAINED);
    }

    ChangeHistory(int retained) {
        this.retained = retained;
    }

    /**
     * Keeps {@code record} (the batch that made {@code current}); the oldest record past the bound
     * moves into the base. Should the base refuse it (rules that changed in an upgrade), the
     * history starts again at {@code current}, the same way on every member, instead of failing
     * the Raft apply.
     */
    synchronized void record(HistoryRecord record, ConfigModel current) {
        records.addLast(record);
        if (records.size() > retained) {
            HistoryRecord oldest = records.removeFirst();
            try {
                base = replay(base, oldest);
            } catch (ConfigException e) {
                log.warn("history restarts at version {}: version {} no longer replays ({})", current.version(),
                        oldest.getVersion(), e.getMessage());
                base = current;
                records.clear();
            }
        }
    }

    /** Starts again from {@code base} and the records after it (a restored snapshot). */
    synchronized void restore(ConfigModel base, List<HistoryRecord> after) {
        this.base = base;
        records.clear();
        records.addAll(after);
    }

    synchronized Config base() {
        return base.toProto();
    }

    /** The retained records, oldest first. */
    public synchronized List<HistoryRecord> records() {
        return List.copyOf(records);
    }

    /** The oldest version {@link #configAt} can reconstruct. */
    public synchronized long oldestVersion() {
        return base.version();
    }

    /**
     * The config as it was at {@code version} (the state after the last change at or before it),
     * with the cluster id of {@code current}.
     *
     * @throws ValidationException NOT_FOUND if {@code version} is older than the retained history
     *         or newer than {@code current}
     */
    public ConfigModel configAt(long version, ConfigModel current) {
        if (version == current.version()) {
            return current;
        }
        ConfigModel model;
        List<HistoryRecord> after;
        synchronized (this) {
            if (version < base.version()) {
                throw new ValidationException(Reason.NOT_FOUND, "version " + version + " is older than the retained "
                        + "history, which starts at version " + base.version() + " (the last " + retained
                        + " changes are kept)");
            }
            model = base;
            after = List.copyOf(records);
        }
        if (version > current.version()) {
            throw new ValidationException(Reason.NOT_FOUND, "version " + version + " is newer than the current version "
                    + current.version());
        }
        for (HistoryRecord record : after) {
            if (record.getVersion() > version) {
                break;
            }
            model = replay(model, record);
        }
        return model.withIdentity(current.clusterId(), version);
    }

    private static ConfigModel replay(ConfigModel model, HistoryRecord record) {
        return model.apply(record.getBatch().toBuilder().clearExpectedVersion().build(), record.getVersion()).model();
    }
}
