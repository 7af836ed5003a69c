package io.fulcrum.controlplane.state;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.proto.v1.ConfigChanged;

/**
 * Told about every config change this member applies, on the Raft apply thread, in version order.
 * Must return quickly and never throw (hand work to another thread).
 */
@FunctionalInterface
public interface ConfigListener {
    /**
     * @param event null when the whole model was replaced (a snapshot was installed): no
     *              per-change event is known
     */
    void onConfigChanged(ConfigModel model, ConfigChanged event);
}
