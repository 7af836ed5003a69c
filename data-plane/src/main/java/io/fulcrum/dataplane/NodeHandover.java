package io.fulcrum.dataplane;

import io.fulcrum.dataplane.lifecycle.takeover.HandoverSource;
import io.fulcrum.dataplane.lifecycle.takeover.ListenerSockets;
import io.fulcrum.dataplane.runtime.Listener;
import io.fulcrum.proto.v1.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a running {@link DataPlane} hands to a process taking it over. */
final class NodeHandover implements HandoverSource {
    private final DataPlane node;

    NodeHandover(DataPlane node) {
        this.node = node;
    }

    @Override
    public String nodeId() {
        return node.nodeId();
    }

    @Override
    public Optional<Config> appliedConfig() {
        return node.appliedConfig();
    }

    @Override
    public List<ListenerSockets> listenerSockets() {
        List<ListenerSockets> sockets = new ArrayList<>();
        for (Map.Entry<String, Listener> listener : node.listeners().entrySet()) {
            sockets.add(new ListenerSockets(listener.getKey(), listener.getValue().spec().address(),
                    listener.getValue().descriptors()));
        }
        return sockets;
    }

    @Override
    public void stopAccepting() {
        node.handOverListeners();
        node.stopAdmin(); // the new process binds the admin address next
    }
}
