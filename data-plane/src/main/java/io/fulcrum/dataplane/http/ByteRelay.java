package io.fulcrum.dataplane.http;

import io.fulcrum.dataplane.runtime.Backend;
import io.fulcrum.dataplane.runtime.Route;
import io.netty.channel.Channel;

/**
 * Takes over a client connection and its server connection once they switched protocols: from
 * then on they are relayed as bytes both ways, as a {@code protocol tcp} listener relays them.
 * Implemented by the TCP proxy (which this package must not import), handed in at accept.
 */
@FunctionalInterface
public interface ByteRelay {
    /**
     * Called on the loop both channels live on, both active, their HTTP handlers gone but their
     * decoders, which hand what they still hold to the relay when removed right after this call.
     * The relay counts the connection's close on {@code route}'s and {@code backend}'s counters
     * (their open was counted by HTTP) and closes both channels when it ends.
     */
    void relay(Channel client, Channel server, Backend backend, Route route);
}
