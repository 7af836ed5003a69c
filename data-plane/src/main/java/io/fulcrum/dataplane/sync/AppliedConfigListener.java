package io.fulcrum.dataplane.sync;

import io.fulcrum.proto.v1.Config;

/**
 * Told of every snapshot the node applied (Acked with its own version), never of a rejected
 * (Nacked) or an ignored (older) one. Called on the sync thread, in the order applied: it must
 * return quickly and must not throw (hand slow work, like a disk write, to a thread of its own).
 */
@FunctionalInterface
public interface AppliedConfigListener {
    AppliedConfigListener NONE = config -> { };

    /** @param config the config as applied, with the snapshot's cluster id and version set */
    void applied(Config config);
}
