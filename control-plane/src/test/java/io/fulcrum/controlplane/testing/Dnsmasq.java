package io.fulcrum.controlplane.testing;

import io.fulcrum.config.testing.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for discovery tests: Debian's dnsmasq on 127.0.0.1 and a free port, serving
 * only the records a test gives (TTL 0, as Consul answers; names under {@code consul} and
 * {@code test} that it does not know get NXDOMAIN). dnsmasq does not re-read its records on
 * SIGHUP: {@link #restart} stops it and starts it again on the same port with new ones.
 */
public final class Dnsmasq implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/dnsmasq";

    private final Path dir;
    private final int port;
    private Process process;

    private Dnsmasq(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips (fails in CI) the calling test unless dnsmasq is installed. */
    public static void require() {
        Preconditions.requireExecutable(BINARY, "apt-get install dnsmasq-base");
    }

    /** Starts serving {@code records} (dnsmasq lines, see {@link #srv} and {@link #host}). */
    public static Dnsmasq start(Path dir, List<String> records) {
        Dnsmasq dns = new Dnsmasq(dir, Ports.free());
        dns.restart(records);
        return dns;
    }

    /** {@code _redis._tcp.service.consul} answered by {@code target}:{@code port}. */
    public static String srv(String name, String target, int port, int priority, int weight) {
        return "srv-host=" + name + "," + target + "," + port + "," + priority + "," + weight;
    }

    /** An A (or AAAA) record. */
    public static String host(String name, String ip) {
        return "host-record=" + name + "," + ip;
    }

    public int port() {
        return port;
    }

    /** "127.0.0.1:PORT", as a server group's discovery-resolver. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Stops it if it runs and starts it with {@code records}; returns once it answers on its port. */
    public synchronized void restart(List<String> records) {
        stop();
        List<String> conf = new ArrayList<>(List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                "no-resolv", "no-hosts", "no-poll", "local=/consul/", "local=/test/", "local-ttl=0", "pid-file=",
                "user=" + System.getProperty("user.name")));
        conf.addAll(records);
        try {
            Path file = dir.resolve("dnsmasq.conf");
            Files.write(file, conf);
            process = new ProcessBuilder(BINARY, "--keep-in-foreground", "--conf-file=" + file)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dnsmasq", e);
        }
        Poll.until(Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("dnsmasq exited: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, () -> "dnsmasq on port " + port + ": " + log());
    }

    /** Stops it (the DNS server is down until {@link #restart}). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("dnsmasq.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        stop();
    }
}
