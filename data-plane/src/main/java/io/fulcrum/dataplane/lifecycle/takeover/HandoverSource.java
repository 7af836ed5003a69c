package io.fulcrum.dataplane.lifecycle.takeover;

import io.fulcrum.proto.v1.Config;
import java.util.List;
import java.util.Optional;

/** What a running data plane gives a process that takes it over. Implementations are thread-safe. */
public interface HandoverSource {
    /** The node id; a new process must have the same. */
    String nodeId();

    /** The applied config (cluster id and version set), or empty before the first. */
    Optional<Config> appliedConfig();

    /** The listeners of the applied config with their sockets; empty on a transport that cannot hand them over. */
    List<ListenerSockets> listenerSockets();

    /**
     * Stops accepting on every listener: the new process holds the same sockets and accepts
     * from now on. Connections accepted here keep running. Returns when no loop here watches the
     * sockets any more.
     */
    void stopAccepting();
}
