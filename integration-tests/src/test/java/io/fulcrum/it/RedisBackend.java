package io.fulcrum.it;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real redis-server on 127.0.0.1 and a free port, without persistence; {@link #close} stops it. */
final class RedisBackend implements AutoCloseable {
    static final String BINARY = "/usr/bin/redis-server";
    private final Process process;
    private final int port;

    private RedisBackend(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Skips (fails in CI) the calling test unless redis-server is installed. */
    static void require() {
        Preconditions.requireExecutable(BINARY, "apt-get install redis-server");
    }

    static RedisBackend start(Path dir) {
        int port = Ports.free();
        Path home = dir.resolve("redis-" + port);
        Process process;
        try {
            Files.createDirectories(home);
            process = new ProcessBuilder(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", home.toString(), "--loglevel", "warning")
                    .redirectErrorStream(true).redirectOutput(home.resolve("log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
        RedisBackend redis = new RedisBackend(process, port);
        Poll.until(Duration.ofSeconds(10), "redis-server on port " + port,
                () -> RedisProbe.backendPort(new InetSocketAddress("127.0.0.1", port)) == port);
        return redis;
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
