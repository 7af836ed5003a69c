package io.fulcrum.controlplane.state;

import io.fulcrum.controlplane.internal.RequestRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request ids of the last {@link #CAPACITY} applied batches, so a retried batch is applied
 * once. Evicts in insertion order, so every replica holds the same ids. Written only by the
 * apply thread; read from any thread.
 */
final class RequestLog {
    static final int CAPACITY = 10_000;

    private final Map<String, Long> versions = new LinkedHashMap<>();

    synchronized Long versionOf(String requestId) {
        return versions.get(requestId);
    }

    synchronized void remember(String requestId, long version) {
        if (requestId.isEmpty()) {
            return;
        }
        versions.put(requestId, version);
        if (versions.size() > CAPACITY) {
            versions.remove(versions.keySet().iterator().next());
        }
    }

    synchronized List<RequestRecord> records() {
        List<RequestRecord> records = new ArrayList<>(versions.size());
        versions.forEach((id, version) -> records.add(RequestRecord.newBuilder().setRequestId(id).setVersion(version).build()));
        return records;
    }

    synchronized void restore(List<RequestRecord> records) {
        versions.clear();
        records.forEach(r -> versions.put(r.getRequestId(), r.getVersion()));
    }
}
