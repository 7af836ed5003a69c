package io.fulcrum.dataplane;

import io.fulcrum.dataplane.runtime.TransportKind;
import io.fulcrum.proto.v1.Config;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fulcrum data-plane}: a data-plane node that runs standalone from a config file (a
 * command script). Exits 1 with a message when the file does not parse, validate or apply; else
 * serves until stopped. {@link #call()} returns the exit code so tests never exit the JVM.
 */
@Command(name = "fulcrum data-plane", mixinStandardHelpOptions = true,
        description = "Runs a data-plane node from a config file written in the command language.")
public final class DataPlaneMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneMain.class);

    @Option(names = "--id", required = true, description = "node id, unique among data planes")
    String id;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "config file: a command script")
    Path configFile;

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "serve /healthz, /ready and /metrics here")
    String admin;

    @Option(names = "--worker-loops", paramLabel = "N", description = "loops of the built-in (worker-elg); default: one per core")
    Integer workerLoops;

    @Option(names = "--transport", defaultValue = "AUTO", paramLabel = "KIND",
            description = "AUTO (epoll when available), EPOLL or NIO")
    TransportKind transport;

    @Option(names = "--watch", description = "re-read the config file when it changes (checked every second)")
    boolean watch;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile DataPlane dataPlane;
    private long version;
    private FileTime seen;

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // sampling buffers for leak reports costs about 5-10 % on short connections; turn it
            // back on with -Dio.netty.leakDetection.level=simple to hunt a leak
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        DataPlaneMain main = new DataPlaneMain();
        Runtime.getRuntime().addShutdownHook(new Thread(main::stopAndWait, "fulcrum-shutdown"));
        System.exit(new CommandLine(main).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Config config;
        InetSocketAddress adminAddress;
        try {
            adminAddress = admin == null ? null : parseAddress(admin);
            seen = modified();
            config = ConfigScript.read(configFile, ++version);
        } catch (IllegalArgumentException | ConfigScript.InvalidConfigFileException e) {
            err.println("fulcrum data-plane: " + e.getMessage());
            stopped.countDown();
            return 1;
        }
        DataPlaneOptions.Builder options = DataPlaneOptions.builder(id).adminAddress(adminAddress).transport(transport);
        if (workerLoops != null) {
            options.workerLoops(workerLoops);
        }
        try (DataPlane node = DataPlane.start(options.build())) {
            ApplyResult result = node.apply(config);
            if (!result.isApplied()) {
                err.println("fulcrum data-plane: " + configFile + ": " + result.error());
                return 1;
            }
            dataPlane = node;
            ScheduledExecutorService watcher = watch ? watch(node) : null;
            stop.await();
            if (watcher != null) {
                watcher.shutdownNow();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            err.println("fulcrum data-plane: " + e.getMessage());
            return 1;
        } finally {
            dataPlane = null;
            stopped.countDown();
        }
    }

    private ScheduledExecutorService watch(DataPlane node) {
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fulcrum-" + id + "-config-watch");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(() -> reloadIfChanged(node), 1, 1, TimeUnit.SECONDS);
        return watcher;
    }

    private void reloadIfChanged(DataPlane node) {
        FileTime now = modified();
        if (now == null || now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            ApplyResult result = node.apply(ConfigScript.read(configFile, ++version));
            if (result.isApplied()) {
                log.info("config file {} reloaded as version {}", configFile, result.version());
            }
        } catch (ConfigScript.InvalidConfigFileException e) {
            log.warn("config file not reloaded, the running config stays: {}", e.getMessage());
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(configFile);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** HOST:PORT or [IPv6]:PORT; port 0 picks a free port. */
    static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("--admin must be HOST:PORT, got " + text);
        }
        int port = Integer.parseInt(text.substring(colon + 1));
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (port > 65535) {
            throw new IllegalArgumentException("--admin port must be 0..65535, got " + text);
        }
        return new InetSocketAddress(host, port);
    }

    /** The running node, or null before the config is applied and after the node stopped. */
    public DataPlane dataPlane() {
        return dataPlane;
    }

    /** Makes {@link #call()} close the node and return 0. */
    public void stop() {
        stop.countDown();
    }

    private void stopAndWait() {
        stop();
        try {
            stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
