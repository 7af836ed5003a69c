package io.fulcrum.dataplane.lifecycle.takeover;

import io.fulcrum.proto.v1.Config;
import java.util.List;
import java.util.Optional;

/**
 * What a running data plane gives a process that takes it over, in the order a takeover uses it:
 * {@link #offer()}, then {@link #beginHandover()} and {@link #stopAccepting()}, or {@link #withdraw()}.
 * Implementations are thread-safe.
 */
public interface HandoverSource {
    /** What is offered: the applied config and the listeners with their sockets, as one consistent pair. */
    record Offer(Optional<Config> config, List<ListenerSockets> listeners) {
        public Offer {
            listeners = List.copyOf(listeners);
        }
    }

    /** The node id; a new process must have the same. */
    String nodeId();

    /** False once the node stops (a takeover is refused then). */
    boolean accepting();

    /**
     * The applied config and the listening sockets; from now until {@link #stopAccepting()} or
     * {@link #withdraw()} no config is applied, so the sockets offered stay the ones handed over.
     */
    Offer offer();

    /** The offer did not go ahead (the new process failed or vanished): configs apply again. */
    void withdraw();

    /**
     * The new process serves: decide, once, to hand over. False when the node is stopping
     * already (the new process is then told to stand down). On true the node stops following
     * the control plane: it lives on in the new process.
     */
    boolean beginHandover();

    /**
     * Stops accepting on every listener: the new process holds the same sockets and accepts
     * from now on. Connections accepted here keep running. Returns when no loop here watches the
     * sockets any more.
     */
    void stopAccepting();
}
