package io.fulcrum.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The file descriptors this JVM holds open, by kind (Linux, /proc/self/fd): splice moves bytes
 * through one pipe per spliced direction; every connection holds sockets until it is closed.
 */
public final class Descriptors {
    private Descriptors() {
    }

    /** The number of open descriptors that are pipe ends. */
    public static long pipes() {
        return count("pipe:");
    }

    /** The number of open descriptors that are sockets (listeners and connections, any protocol). */
    public static long sockets() {
        return count("socket:");
    }

    private static long count(String kind) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> isA(descriptor, kind)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isA(Path descriptor, String kind) {
        try {
            return Files.readSymbolicLink(descriptor).toString().startsWith(kind);
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }
}
