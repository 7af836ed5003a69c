package io.fulcrum.controlplane.testing;

import io.fulcrum.config.testing.LoopbackPorts;

/** Free TCP ports on loopback (for addresses that must be known before binding, like Raft peers). */
public final class Ports {
    private Ports() {
    }

    /** See {@link LoopbackPorts}: outside the ephemeral range, so no outgoing connection takes it first. */
    public static int free() {
        return LoopbackPorts.free();
    }

    public static String loopback() {
        return "127.0.0.1:" + free();
    }
}
