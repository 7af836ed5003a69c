package io.fulcrum.controlplane;

import io.fulcrum.config.process.PidFile;
import io.fulcrum.config.process.StopSignals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/fulcrum control-plane}: runs one control-plane node until it is stopped (SIGTERM or
 * SIGINT: a leader hands leadership over first, see {@link ControlPlaneNode#stopGracefully}; a
 * second signal exits at once, 143 or 130). With no flags it runs a single-node cluster on loopback with its state in
 * ~/.fulcrum/cp1.
 */
@Command(name = "fulcrum control-plane", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a Fulcrum control-plane node (1, 3 or 5 of them form one Raft group).")
public final class ControlPlaneMain implements Callable<Integer> {
    @Option(names = "--id", defaultValue = "cp1", description = "member id (default: ${DEFAULT-VALUE})")
    String id;

    @Option(names = "--data-dir", description = "state directory (default: ~/.fulcrum/ID)")
    Path dataDir;

    @Option(names = "--raft", defaultValue = "127.0.0.1:7001", description = "Raft address HOST:PORT (default: ${DEFAULT-VALUE})")
    String raft;

    @Option(names = "--api", defaultValue = "127.0.0.1:9001", description = "gRPC API address HOST:PORT (default: ${DEFAULT-VALUE})")
    String api;

    @Option(names = "--peers", split = ",", paramLabel = "ID=HOST:PORT",
            description = "Raft addresses of every member of a new cluster, this one included (default: this node alone)")
    Map<String, String> peers = new LinkedHashMap<>();

    @Option(names = "--join", description = "start empty and wait to be added with `fctl members add`")
    boolean join;

    @Option(names = "--auth-file", description = "tokens, one `ROLE TOKEN [NAME]` per line; roles operator, viewer, data-plane "
            + "(default: generate DATA_DIR/auth.conf)")
    Path authFile;

    @Option(names = "--insecure-no-auth", description = "accept every call without a token (never in production)")
    boolean insecureNoAuth;

    @Option(names = "--resp", paramLabel = "HOST:PORT", description = "also serve the command language over RESP (redis-cli)")
    String resp;

    @Option(names = "--resp-password-file", paramLabel = "FILE",
            description = "file holding the password redis-cli must AUTH with, as its only token (16+ characters)")
    Path respPasswordFile;

    @Option(names = "--resp-password", description = "the RESP password itself (visible in ps: prefer --resp-password-file)")
    String respPassword;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "serve /metrics (Prometheus) and /healthz here")
    String metrics;

    @Option(names = "--rest", paramLabel = "HOST:PORT",
            description = "also serve the REST API and the status page (/status) here, with --tls-cert when given (docs/api.md)")
    String rest;

    @Option(names = "--tls-cert", description = "serve the API over TLS with this PEM certificate chain")
    String tlsCert;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert")
    String tlsKey;

    @Option(names = "--tls-ca", description = "CA members trust when they call each other (default: --tls-cert)")
    String tlsCa;

    @Option(names = "--election-timeout-ms", defaultValue = "" + ControlPlaneSettings.DEFAULT_ELECTION_TIMEOUT_MS,
            description = "follower patience before an election (default: ${DEFAULT-VALUE})")
    int electionTimeoutMs;

    @Option(names = "--max-election-delay-ms", defaultValue = "" + ControlPlaneSettings.DEFAULT_MAX_ELECTION_DELAY_MS,
            description = "random extra delay of an election (default: ${DEFAULT-VALUE})")
    int maxElectionDelayMs;

    @Option(names = "--snapshot-interval-secs", defaultValue = "" + ControlPlaneSettings.DEFAULT_SNAPSHOT_INTERVAL_SECS,
            description = "how often the state is snapshotted and the log truncated (default: ${DEFAULT-VALUE})")
    int snapshotIntervalSecs;

    @Option(names = "--forget-disconnected-after", defaultValue = "24h", converter = DurationFlag.class, paramLabel = "DURATION",
            description = "the leader forgets a data plane DISCONNECTED this long (500ms, 30s, 10m, 24h, 7d; 0: never; "
                    + "default: ${DEFAULT-VALUE})")
    Duration forgetDisconnectedAfter;

    @Option(names = "--no-fsync", description = "do not sync the log to disk before acknowledging (tests only)")
    boolean noFsync;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write the process id here once serving; removed on a clean exit")
    Path pidFile;

    /** How long SIGTERM waits for another member to lead before this one stops anyway. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(5);

    private final CountDownLatch stop = new CountDownLatch(1);

    public static void main(String[] args) {
        ControlPlaneMain main = new ControlPlaneMain();
        // not a shutdown hook: it could not see the second signal that cuts the stop short
        StopSignals.install(signal -> main.stop.countDown());
        System.exit(new CommandLine(main).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".fulcrum", id);
        // RocksDB unpacks its native library into java.io.tmpdir at each start and a killed
        // process leaves it behind: keep those copies inside the node's own directory
        Path tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        System.setProperty("java.io.tmpdir", tmp.toString());
        ControlPlaneSettings settings = ControlPlaneSettings.builder(id, dir).raft(raft).api(api).peers(peers).join(join)
                .authFile(authFile).insecureNoAuth(insecureNoAuth).resp(resp, respPassword).respPasswordFile(respPasswordFile).tls(tlsCert, tlsKey, tlsCa)
                .election(electionTimeoutMs, maxElectionDelayMs).snapshotIntervalSecs(snapshotIntervalSecs)
                .fsync(!noFsync).metrics(metrics).rest(rest).forgetDisconnectedAfter(forgetDisconnectedAfter).build();
        ControlPlaneNode node;
        try {
            node = ControlPlaneNode.start(settings);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("fulcrum control-plane: " + e.getMessage());
            return 2;
        }
        PidFile pid = null;
        try {
            printReady(node, settings);
            pid = pidFile == null ? null : PidFile.write(pidFile);
            stop.await();
        } catch (RuntimeException | IOException e) {
            System.err.println("fulcrum control-plane: " + e.getMessage());
            node.close();
            return 1;
        }
        node.stopGracefully(TRANSFER_TIMEOUT);
        if (pid != null) {
            pid.close();
        }
        return 0;
    }

    private static void printReady(ControlPlaneNode node, ControlPlaneSettings settings) throws IOException {
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("fulcrum control plane " + settings.id() + " ready: api " + node.apiAddress() + ", raft "
                + settings.raftAddress() + (node.respPort() < 0 ? "" : ", resp port " + node.respPort())
                + (node.metricsPort() < 0 ? "" : ", metrics port " + node.metricsPort())
                + (node.restAddress() == null ? "" : ", rest " + node.restAddress()));
        if (node.authFile() == null) {
            out.println("authentication is OFF (--insecure-no-auth)");
        } else if (settings.authFile() == null) {
            out.println("tokens: " + node.authFile() + " (generated; fctl finds them there)");
        }
        Files.writeString(settings.dataDir().resolve("pid"), ProcessHandle.current().pid() + "\n");
    }
}
