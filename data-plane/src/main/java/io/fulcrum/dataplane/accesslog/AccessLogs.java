package io.fulcrum.dataplane.accesslog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The access-log writers of one data plane, one per destination, shared by every listener that
 * logs there. A config change keeps the writers it still uses and closes the others.
 * Thread-safe.
 */
public final class AccessLogs implements AutoCloseable {
    private final String nodeId;
    private final Map<String, AccessLogWriter> writers = new LinkedHashMap<>();

    public AccessLogs(String nodeId) {
        this.nodeId = nodeId;
    }

    /**
     * The writer for {@code destination}, opened now if it is new.
     *
     * @throws java.io.UncheckedIOException if the file cannot be opened
     */
    public synchronized AccessLogWriter open(String destination) {
        AccessLogWriter writer = writers.get(destination);
        if (writer == null) {
            writer = new AccessLogWriter(destination, "fulcrum-" + nodeId + "-access-log-" + writers.size());
            writers.put(destination, writer);
        }
        return writer;
    }

    /** Closes the writers of every destination not in {@code inUse}. */
    public void retain(Set<String> inUse) {
        List<AccessLogWriter> dropped = new ArrayList<>();
        synchronized (this) {
            writers.values().removeIf(writer -> {
                boolean drop = !inUse.contains(writer.destination());
                if (drop) {
                    dropped.add(writer);
                }
                return drop;
            });
        }
        dropped.forEach(AccessLogWriter::close);
    }

    public synchronized List<AccessLogWriter> writers() {
        return List.copyOf(writers.values());
    }

    @Override
    public void close() {
        retain(Set.of());
    }
}
