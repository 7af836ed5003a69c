package io.fulcrum.dataplane;

import io.fulcrum.dataplane.lifecycle.takeover.TakeoverClient;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverException;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverServer;
import io.fulcrum.proto.v1.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The takeover steps of a node's life (docs/operations.md, "Upgrade"): a new process takes the
 * listening sockets and the config of the running one ({@link #begin}) and says when it serves
 * them ({@link #ready}); every node listens for its own successor ({@link #listen}).
 */
final class NodeTakeover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeTakeover.class);
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TakeoverClient client;
    private final TakeoverClient.Taken taken;

    private NodeTakeover(TakeoverClient client, TakeoverClient.Taken taken) {
        this.client = client;
        this.taken = taken;
    }

    /**
     * Takes the sockets and the config of the process listening on {@code socket}; {@code node}
     * adopts the sockets at its first apply. The running process changes nothing until {@link #ready}.
     *
     * @throws TakeoverException when there is nothing to take over or it refuses
     */
    static NodeTakeover begin(DataPlane node, Path socket) {
        if (!node.canHandOver()) {
            throw new TakeoverException("--takeover needs the epoll transport (native epoll is not available, or "
                    + "--transport NIO was given)");
        }
        TakeoverClient client = TakeoverClient.connect(socket, TIMEOUT);
        try {
            TakeoverClient.Taken taken = client.take(node.nodeId());
            node.inherit(taken.sockets());
            log.info("taking over from pid {}: {} listener(s), config version {}", taken.pid(), taken.listeners().size(),
                    taken.config().map(Config::getVersion).orElse(0L));
            return new NodeTakeover(client, taken);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** The running process's config, if it had one. */
    Optional<Config> config() {
        return taken.config();
    }

    /**
     * This process serves: the old one stops accepting and drains. From the moment this is sent
     * the sockets may be this process's alone, so a late or missing confirmation is a warning and
     * this process serves on.
     *
     * @throws TakeoverException when the old process refused at this last step (it is stopping):
     *         this process must not serve
     */
    void ready(long appliedVersion) {
        try {
            if (client.ready(appliedVersion)) {
                log.info("took over from pid {}; it drains and exits", taken.pid());
            } else {
                log.warn("took over from pid {}, which did not confirm in time; serving", taken.pid());
            }
        } finally {
            client.close();
        }
    }

    /** This process cannot serve; the old one keeps serving and logs {@code error}. */
    void failed(String error) {
        client.failed(error);
        client.close();
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * Refuses to start a second process for a node whose takeover socket answers (two processes
     * would share the listeners and the state directory without knowing it); removes a socket
     * file nobody answers on (left by a process killed with -9).
     *
     * @throws IllegalStateException saying what to do
     */
    static void ensureNotRunning(Path socket, String nodeId) {
        if (!Files.exists(socket)) {
            return;
        }
        try (TakeoverClient probe = TakeoverClient.connect(socket, Duration.ofSeconds(2))) {
            throw new IllegalStateException("data plane " + nodeId + " is running already (its takeover socket " + socket
                    + " answers): stop it first, or start this process with --takeover to replace it without dropping "
                    + "a connection");
        } catch (TakeoverException stale) {
            deleteStale(socket);
        }
    }

    /**
     * Listens on {@code socket} for the process that will take this one over; null when the
     * transport cannot hand sockets over (NIO), which is logged.
     */
    static TakeoverServer listen(DataPlane node, Path socket, NodeLifecycle lifecycle) {
        if (!node.canHandOver()) {
            log.info("no takeover socket: the NIO transport cannot hand its listeners to another process");
            return null;
        }
        try {
            deleteStale(socket);
            return TakeoverServer.listen(socket, new NodeHandover(node, lifecycle), pid -> lifecycle.handedOver());
        } catch (RuntimeException e) {
            // the node serves; only an upgrade without a dropped connection is not possible
            log.warn("no takeover socket, so no upgrade by --takeover: {}", e.getMessage());
            return null;
        }
    }

    /** Removes a socket file nobody answers on; makes its directory (owner only) if missing. */
    private static void deleteStale(Path socket) {
        try {
            Path dir = socket.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the takeover socket " + socket, e);
        }
    }
}
