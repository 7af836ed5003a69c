package io.fulcrum.dataplane.runtime;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listening sockets handed over by the process this one took over from, by the address they are
 * bound to, until the first config applied here adopts them. Thread-safe.
 */
public final class InheritedSockets {
    private static final Logger log = LoggerFactory.getLogger(InheritedSockets.class);

    private final Map<InetSocketAddress, List<Integer>> byAddress;

    public InheritedSockets(Map<InetSocketAddress, List<Integer>> byAddress) {
        this.byAddress = new LinkedHashMap<>();
        byAddress.forEach((address, fds) -> this.byAddress.put(address, List.copyOf(fds)));
    }

    /** None: a node that took nothing over. */
    public static InheritedSockets none() {
        return new InheritedSockets(Map.of());
    }

    /** The descriptors bound to {@code address}, handed out once; empty when there are none. */
    public synchronized List<Integer> take(InetSocketAddress address) {
        List<Integer> fds = byAddress.remove(address);
        return fds == null ? List.of() : fds;
    }

    /**
     * Closes the sockets no listener adopted (the config here no longer has their address); the
     * process that handed them over closes its copies, so connections queued on them are reset.
     */
    public synchronized void closeRest() {
        byAddress.forEach((address, fds) -> {
            log.warn("no listener of the applied config is on {}: closing the {} socket(s) taken over for it", address,
                    fds.size());
            close(fds);
        });
        byAddress.clear();
    }

    /** Closes this process's copies of {@code fds} (another process may hold the same sockets). */
    public static void close(List<Integer> fds) {
        for (int fd : fds) {
            try {
                new FileDescriptor(fd).close();
            } catch (IOException e) {
                log.debug("closing taken-over descriptor {}: {}", fd, e.getMessage());
            }
        }
    }

    public synchronized boolean isEmpty() {
        return byAddress.isEmpty();
    }
}
