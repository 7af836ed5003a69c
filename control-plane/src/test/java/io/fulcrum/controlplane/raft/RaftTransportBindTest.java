package io.fulcrum.controlplane.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.config.testing.Preconditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Raft transport listens on the host of the Raft address only, not on every interface. */
@Timeout(60)
class RaftTransportBindTest {
    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    @Test
    void theTransportListensOnTheGivenHostOnly(@TempDir Path dir) throws IOException {
        Preconditions.require(Files.isReadable(TCP), "/proc/net/tcp is not readable (not Linux?)");
        int port = Ports.free();
        RaftSettings settings = new RaftSettings("127.0.0.1:" + port, dir, List.of("127.0.0.1:" + port), 300, 200, 600, false);
        try (RaftServer ignored = RaftServer.start(settings, new ClusterStateMachine())) {
            List<String> listening = new ArrayList<>(listeners(TCP, port));
            if (Files.isReadable(TCP6)) {
                listening.addAll(listeners(TCP6, port));
            }
            // Java's sockets are dual-stack: 127.0.0.1 may show as ::ffff:127.0.0.1 in tcp6, 0.0.0.0 as ::
            assertEquals(1, listening.size(), "one listener on port " + port + ": " + listening);
            assertTrue(List.of("0100007F", "0000000000000000FFFF00000100007F").contains(listening.get(0)),
                    "listening on 127.0.0.1, not " + listening.get(0));
        }
    }

    /** The local addresses (hex, as the kernel prints them) of the sockets listening on {@code port}. */
    private static List<String> listeners(Path table, int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new ArrayList<>();
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.strip().split("\\s+");
            String[] local = fields[1].split(":");
            if (local[1].equals(hexPort) && fields[3].equals("0A")) {
                addresses.add(local[0]);
            }
        }
        return addresses;
    }
}
