package io.fulcrum.controlplane.state;

import io.fulcrum.config.ConfigException;
import io.fulcrum.proto.v1.Change;
import java.util.List;

/**
 * What applying a committed batch did: applied at {@code version}, recognized as a retry of an
 * earlier batch (same request id, {@code version} of the first application), or rejected by
 * validation (every replica rejects it the same way; nothing changed).
 */
public record BatchOutcome(long version, List<Change> changes, boolean duplicate, ConfigException error) {

    static BatchOutcome applied(long version, List<Change> changes) {
        return new BatchOutcome(version, changes, false, null);
    }

    static BatchOutcome duplicate(long version) {
        return new BatchOutcome(version, List.of(), true, null);
    }

    static BatchOutcome rejected(ConfigException error) {
        return new BatchOutcome(0, List.of(), false, error);
    }

    public boolean rejected() {
        return error != null;
    }
}
