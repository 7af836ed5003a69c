package io.fulcrum.dataplane.testing;

import io.fulcrum.config.testing.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy ({@code /usr/sbin/haproxy}, Debian's package) run in the foreground with a
 * config a test writes; tests that need one skip without it (and fail where {@code CI=true}).
 * Started once its listening port accepts connections; its output goes to a file beside the config.
 */
public final class HaproxyProcess implements AutoCloseable {
    public static final String EXECUTABLE = "/usr/sbin/haproxy";

    private final Process process;
    private final Path output;

    private HaproxyProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Skips (or in CI fails) the calling test when HAProxy is not installed. */
    public static void require() {
        Preconditions.requireExecutable(EXECUTABLE, "apt-get install haproxy");
    }

    /**
     * Writes {@code config} into {@code dir} and runs HAProxy on it until {@code listening} (on
     * 127.0.0.1) accepts a connection.
     */
    public static HaproxyProcess start(Path dir, String config, int listening) {
        try {
            Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
            Path output = dir.resolve("haproxy.out");
            Process process = new ProcessBuilder(EXECUTABLE, "-db", "-f", file.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            HaproxyProcess haproxy = new HaproxyProcess(process, output);
            Poll.until(Duration.ofSeconds(10), () -> !process.isAlive() || accepts(listening),
                    () -> "HAProxy to listen on " + listening);
            if (!process.isAlive()) {
                throw new IllegalStateException("HAProxy exited: " + Files.readString(output));
            }
            return haproxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What HAProxy printed so far (warnings, alerts). */
    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
