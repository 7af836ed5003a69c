package io.fulcrum.config.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for tests that must know an address before anything binds it (Raft peers, a
 * listener in a config). A port the kernel hands out for {@code bind(0)} comes from the ephemeral
 * range, the same range outgoing connections take their local ports from: between choosing it and
 * binding it, a connection of the test itself (a Raft member dialling a peer that is not up yet)
 * can take it. So ports come from below the ephemeral range instead, are checked by binding them on
 * every interface, and are never handed out twice by one JVM.
 */
public final class LoopbackPorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    public static int free() {
        int highest = ephemeralLow() - 1;
        for (int attempt = 0; highest - LOWEST > 1000 && attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (HANDED_OUT.add(port) && bindable(port)) {
                return port;
            }
        }
        return kernelChosen();
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelChosen() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first port of Linux's ephemeral range (32768 where it cannot be read). Read line by
     * line: procfs reports a size of 0, and {@code Files.readString} then returns only the first
     * character.
     */
    public static int ephemeralLow() {
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
