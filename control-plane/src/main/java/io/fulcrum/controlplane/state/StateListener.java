package io.fulcrum.controlplane.state;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import java.util.List;

/**
 * Told about what this member applies, on the Raft apply thread, in log order. Must return
 * quickly and never throw (hand work to another thread).
 */
public interface StateListener {
    /**
     * A config change.
     *
     * @param event null when the whole model was replaced (a snapshot was installed): no
     *              per-change event is known
     */
    void onConfigChanged(ConfigModel model, ConfigChanged event);

    /** Servers changed state as data-plane nodes saw them. */
    default void onHealthTransitions(List<HealthTransition> transitions) {
    }

    /** What the data-plane nodes reported about themselves changed (versions, VIP roles, who is known). */
    default void onNodesObserved() {
    }
}
