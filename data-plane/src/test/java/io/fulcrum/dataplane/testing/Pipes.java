package io.fulcrum.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The pipes this JVM holds open (Linux): splice moves bytes through one pipe per spliced direction. */
public final class Pipes {
    private Pipes() {
    }

    /** The number of open file descriptors of this process that are pipe ends. */
    public static long open() {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(Pipes::isPipe).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isPipe(Path descriptor) {
        try {
            return Files.readSymbolicLink(descriptor).toString().startsWith("pipe:");
        } catch (IOException closedMeanwhile) {
            return false;
        }
    }
}
