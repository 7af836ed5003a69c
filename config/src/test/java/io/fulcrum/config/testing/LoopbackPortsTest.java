package io.fulcrum.config.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The helper CI's stability rests on: ports below the ephemeral range, bindable, never twice. */
@Timeout(30)
class LoopbackPortsTest {
    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreBindableAndDistinct() throws IOException {
        int ephemeralLow = LoopbackPorts.ephemeralLow();
        assertTrue(ephemeralLow > 10_000 + 1000, "ephemeral range read as starting at " + ephemeralLow);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.free();
            assertTrue(port >= 10_000 && port < ephemeralLow, port + " is not below the ephemeral range " + ephemeralLow);
            assertTrue(seen.add(port), port + " handed out twice");
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }
}
