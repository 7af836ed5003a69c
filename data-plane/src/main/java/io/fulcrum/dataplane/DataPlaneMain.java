package io.fulcrum.dataplane;

import io.fulcrum.config.schema.Names;
import io.fulcrum.config.auth.AuthFile;
import io.fulcrum.config.process.DurationText;
import io.fulcrum.config.process.PidFile;
import io.fulcrum.config.process.StopSignals;
import io.fulcrum.dataplane.lifecycle.Drain;
import io.fulcrum.dataplane.lifecycle.StateDirectory;
import io.fulcrum.dataplane.lifecycle.VipCandidacy;
import io.fulcrum.dataplane.lifecycle.takeover.TakeoverServer;
import io.fulcrum.dataplane.runtime.ApplyResult;
import io.fulcrum.dataplane.runtime.TransportKind;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.proto.v1.Config;
import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/fulcrum data-plane}: a data-plane node that follows the control plane
 * ({@code --control-plane}) or runs standalone from a config file (a command script,
 * {@code --config}). Exits 1 with a message when the file does not parse, validate or apply; else
 * serves until stopped. The first SIGTERM or SIGINT drains the node ({@link Drain}: listeners
 * closed, HTTP connections closed after their current request, open connections awaited up to
 * {@code --drain-timeout}) and exits 0; a second one exits at once (143 or 130). {@link #call()}
 * returns the exit code so tests never exit the JVM.
 */
@Command(name = "fulcrum data-plane", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a data-plane node that follows the control plane, or runs from a config file.")
public final class DataPlaneMain implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "node id, unique among data planes")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the config comes from: exactly one of the two. */
    static final class Source {
        @Option(names = "--control-plane", split = ",", paramLabel = "HOST:PORT",
                description = "control-plane API addresses; the node follows the config they hold")
        List<String> controlPlanes;

        @Option(names = "--config", paramLabel = "FILE", description = "config file: a command script (standalone)")
        Path configFile;
    }

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "the data-plane token: a file holding it, or an auth file with a data-plane line")
    Path tokenFile;

    @Option(names = "--token", description = "the data-plane token (prefer --token-file: a command line is visible to ps)")
    String token;

    @Option(names = "--tls", description = "connect to the control plane with TLS")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA certificate the control plane's is checked with")
    Path tlsCa;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "shown by fctl nodes (repeatable)")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--admin", paramLabel = "HOST:PORT", description = "serve /healthz, /ready and /metrics here")
    String admin;

    @Option(names = "--worker-loops", paramLabel = "N", description = "loops of the built-in (worker-elg); default: one per core")
    Integer workerLoops;

    @Option(names = "--transport", defaultValue = "AUTO", paramLabel = "KIND",
            description = "AUTO (epoll when available), EPOLL or NIO")
    TransportKind transport;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "with --control-plane: keeps the last applied config here (lastgood.pb) and serves it at start, "
                    + "before a control plane answers; delete the file to start empty. Default: /var/lib/fulcrum/ID when "
                    + "/var/lib/fulcrum is a writable directory, else ~/.fulcrum/ID")
    Path stateDir;

    @Option(names = "--watch", description = "with --config: re-read the file when it changes (checked every second)")
    boolean watch;

    @Option(names = "--drain-timeout", defaultValue = "30s", converter = DrainTimeoutFlag.class, paramLabel = "DURATION",
            description = "on SIGTERM, how long open connections may take to finish before the node exits "
                    + "(500ms, 30s, 2m; 0: do not wait; default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write the process id here once serving; removed on a clean exit")
    Path pidFile;

    @Option(names = "--takeover", description = "take the listening sockets and the config over from the running process "
            + "of this node, serve them, and let it drain and exit: an upgrade or restart that drops no connection "
            + "(docs/operations.md)")
    boolean takeover;

    @Option(names = "--keepalived", paramLabel = "FILE", defaultValue = "/usr/sbin/keepalived",
            description = "the keepalived this node runs for the VIPs of its config it takes part in (docs/vip.md); "
                    + "default: ${DEFAULT-VALUE}")
    String keepalived;

    @Option(names = "--takeover-socket", paramLabel = "FILE", description = "the Unix socket a running node listens on for "
            + "its successor, and a --takeover process connects to (default: STATE_DIR/" + TAKEOVER_SOCKET + ")")
    Path takeoverSocket;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The takeover socket's name in the state directory. */
    static final String TAKEOVER_SOCKET = "takeover.sock";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DataPlaneMain.class);

    private final NodeLifecycle lifecycle = new NodeLifecycle();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile DataPlane dataPlane;

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // sampling buffers for leak reports costs about 5-10 % on short connections; turn it
            // back on with -Dio.netty.leakDetection.level=simple to hunt a leak
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        DataPlaneMain main = new DataPlaneMain();
        // not a shutdown hook: it could not see the second signal that cuts a drain short
        StopSignals.install(signal -> main.stop());
        System.exit(new CommandLine(main).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Config config = null;
        InetSocketAddress adminAddress;
        SyncSettings sync = null;
        Path state = stateDir != null ? stateDir : StateDirectory.defaultFor(id);
        Path takeoverPath = takeoverSocket != null ? takeoverSocket : state.resolve(TAKEOVER_SOCKET);
        try {
            if (!Names.isValid(id)) {
                throw new IllegalArgumentException("--id " + id + ": a node id is " + Names.RULE);
            }
            adminAddress = admin == null ? null : parseAddress(admin);
            if (source.configFile != null) {
                config = ConfigScript.read(source.configFile, 1);
            } else {
                sync = syncSettings();
            }
            if (!takeover) {
                NodeTakeover.ensureNotRunning(takeoverPath, id);
            }
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException
                | ConfigScript.InvalidConfigFileException e) {
            err.println("fulcrum data-plane: " + e.getMessage());
            stopped.countDown();
            return 1;
        }
        // a process taking over binds the admin address only once the old one let it go
        DataPlaneOptions.Builder options = DataPlaneOptions.builder(id).adminAddress(takeover ? null : adminAddress)
                .transport(transport);
        if (workerLoops != null) {
            options.workerLoops(workerLoops);
        }
        PidFile pid = null;
        NodeTakeover taking = null;
        try (DataPlane node = DataPlane.start(options.build())) {
            taking = takeover ? NodeTakeover.begin(node, takeoverPath) : null;
            String failed = serveFirstConfig(node, config, taking);
            if (failed != null) {
                err.println("fulcrum data-plane: " + failed);
                if (taking != null) {
                    taking.failed(failed);
                }
                return 1;
            }
            if (taking != null) {
                // from here on the sockets may be this process's alone: nothing below may stop it
                taking.ready(node.appliedVersion());
                taking = null;
                startAdminAfterTakeover(node, adminAddress);
            }
            AutoCloseable follower;
            Drain.Observer observer = new Drain.Observer() { };
            if (config != null) {
                follower = watch ? new ConfigFileWatcher(source.configFile, node, node.appliedVersion()) : () -> { };
            } else {
                ControlPlaneFollower following = ControlPlaneFollower.start(node, sync, state, node.appliedConfig().filter(
                        c -> takeover), keepalived);
                follower = following;
                observer = following;
            }
            lifecycle.following(follower);
            TakeoverServer successor = NodeTakeover.listen(node, takeoverPath, lifecycle);
            dataPlane = node;
            pid = writePidFile();
            NodeLifecycle.Phase end = lifecycle.await();
            if (successor != null) {
                successor.close();
            }
            if (end == NodeLifecycle.Phase.HANDING_OVER) {
                finishAfterHandover(node);
            } else {
                drain(node, follower, observer);
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            err.println("fulcrum data-plane: " + e.getMessage());
            if (taking != null) {
                taking.failed(String.valueOf(e.getMessage()));
            }
            return 1;
        } finally {
            if (pid != null) {
                pid.close();
            }
            dataPlane = null;
            stopped.countDown();
        }
    }

    /**
     * Applies the config the node starts with: the file's (standalone), else the one taken over
     * (the follower then serves the last-good config only when there was none). Null when it
     * applied, else why not.
     */
    private String serveFirstConfig(DataPlane node, Config fileConfig, NodeTakeover taking) {
        Optional<Config> first = fileConfig != null ? Optional.of(fileConfig)
                : taking == null ? Optional.empty() : taking.config();
        if (first.isEmpty()) {
            return null;
        }
        ApplyResult result = node.apply(first.get());
        if (result.isApplied()) {
            return null;
        }
        return (fileConfig != null ? source.configFile + ": " : "the config taken over does not apply here: ") + result.error();
    }

    private void startAdminAfterTakeover(DataPlane node, InetSocketAddress address) {
        if (address == null) {
            return;
        }
        try {
            node.startAdmin(address);
        } catch (RuntimeException e) {
            log.warn("serving without the admin endpoint: {}", e.getMessage());
        }
    }

    private PidFile writePidFile() {
        if (pidFile == null) {
            return null;
        }
        try {
            return PidFile.write(pidFile);
        } catch (RuntimeException e) {
            log.warn("serving without a pid file: {}", e.getMessage());
            return null;
        }
    }

    /**
     * Drains the node: the control plane sees it DRAINING, then (following it) the node says
     * goodbye and leaves.
     */
    private void drain(DataPlane node, AutoCloseable follower, Drain.Observer observer) throws Exception {
        if (!(observer instanceof ControlPlaneFollower)) {
            follower.close();
        }
        VipCandidacy vips = observer instanceof ControlPlaneFollower following ? following.vipCandidacy() : VipCandidacy.NONE;
        new Drain(node, Clock.systemUTC(), vips).run(drainTimeout, observer);
    }

    /**
     * After a takeover the listeners belong to the new process and so does the node's place at
     * the control plane (the sync stopped when the handover was decided, without a goodbye): let
     * the open connections finish, exit.
     */
    private void finishAfterHandover(DataPlane node) {
        Drain drain = new Drain(node, Clock.systemUTC());
        drain.closeHttpAfterCurrentRequest();
        long left = drain.awaitConnections(drainTimeout);
        if (left > 0) {
            log.warn("taken over: {} connection(s) still open after the drain timeout are cut", left);
        }
        drain.closeNode();
    }

    /** {@code --drain-timeout}: a duration as {@link DurationText} reads it. */
    static final class DrainTimeoutFlag implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    private SyncSettings syncSettings() {
        String secret = token != null ? token : tokenFile != null ? AuthFile.tokenFor(tokenFile, AuthFile.Role.DATA_PLANE) : null;
        if (secret == null) {
            throw new IllegalArgumentException("--control-plane needs the data-plane token: --token-file FILE or --token");
        }
        SyncSettings defaults = SyncSettings.of(source.controlPlanes, secret);
        return new SyncSettings(defaults.servers(), secret, tls || tlsCa != null, tlsCa, labels, defaults.backoffBase(),
                defaults.backoffMax());
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

    /** Makes {@link #call()} drain the node, close it and return 0. Returns at once. */
    public void stop() {
        lifecycle.stop();
    }

    /** Waits until {@link #call()} has returned; false if it did not within {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
