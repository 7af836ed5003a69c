package io.fulcrum.dataplane.lifecycle.takeover;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The listening sockets of one listener: its name, the address they are bound to, their
 * descriptors in this process.
 */
public record ListenerSockets(String name, InetSocketAddress address, List<Integer> descriptors) {
    public ListenerSockets {
        descriptors = List.copyOf(descriptors);
    }
}
