package io.fulcrum.dataplane;

import io.fulcrum.dataplane.lifecycle.takeover.HandoverSource;
import io.fulcrum.dataplane.lifecycle.takeover.ListenerSockets;
import io.fulcrum.dataplane.runtime.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a running {@link DataPlane} hands to a process taking it over. */
final class NodeHandover implements HandoverSource {
    private final DataPlane node;
    private final NodeLifecycle lifecycle;

    NodeHandover(DataPlane node, NodeLifecycle lifecycle) {
        this.node = node;
        this.lifecycle = lifecycle;
    }

    @Override
    public String nodeId() {
        return node.nodeId();
    }

    @Override
    public boolean accepting() {
        return lifecycle.serving();
    }

    @Override
    public Offer offer() {
        ConfigApplier.Handover held = node.holdForHandover();
        List<ListenerSockets> sockets = new ArrayList<>();
        for (Map.Entry<String, Listener> listener : held.listeners().entrySet()) {
            sockets.add(new ListenerSockets(listener.getKey(), listener.getValue().spec().address(),
                    listener.getValue().descriptors()));
        }
        return new Offer(Optional.ofNullable(held.config()), sockets);
    }

    @Override
    public void withdraw() {
        node.releaseHandover();
    }

    @Override
    public boolean beginHandover() {
        return lifecycle.beginHandover();
    }

    @Override
    public void stopAccepting() {
        node.handOverListeners();
        node.stopAdmin(); // the new process binds the admin address next
    }
}
