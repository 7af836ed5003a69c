package io.fulcrum.dataplane.testing;

import io.fulcrum.config.testing.LoopbackPorts;

/** Free TCP ports on 127.0.0.1, for configs that need a port number before anything binds. */
public final class FreePorts {
    private FreePorts() {
    }

    /** See {@link LoopbackPorts}: outside the ephemeral range, so no outgoing connection takes it first. */
    public static int next() {
        return LoopbackPorts.free();
    }
}
