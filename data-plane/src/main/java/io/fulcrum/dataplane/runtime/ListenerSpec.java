package io.fulcrum.dataplane.runtime;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a bound listener socket is: name, address and the acceptor loops it is bound on (one
 * SO_REUSEPORT socket per loop). A listener whose spec is unchanged keeps its sockets across
 * configs; any change binds new sockets first and then closes the old ones.
 */
public record ListenerSpec(String name, InetSocketAddress address, List<LoopKey> acceptorLoops) {
    public ListenerSpec {
        acceptorLoops = List.copyOf(acceptorLoops);
    }
}
