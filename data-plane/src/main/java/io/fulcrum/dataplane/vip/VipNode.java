package io.fulcrum.dataplane.vip;

import io.fulcrum.proto.v1.Config;
import java.util.Map;
import java.util.Optional;

/** What the VIP supervisor needs from its data plane. Called from the supervisor's thread. */
public interface VipNode {
    String nodeId();

    /** The node's {@code --label}s (a VIP's selector picks nodes by them). */
    Map<String, String> labels();

    /** The applied config, or empty before the first. */
    Optional<Config> appliedConfig();

    /** True while the node serves traffic: a config is applied and the node is not draining. */
    boolean serving();
}
