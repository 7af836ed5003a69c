package io.fulcrum.controlplane;

import io.fulcrum.config.auth.AuthFile;
import io.fulcrum.controlplane.api.ApiNode;
import io.fulcrum.controlplane.api.AuthTable;
import io.fulcrum.controlplane.api.MetricsServer;
import io.fulcrum.controlplane.api.rest.RestApi;
import io.fulcrum.controlplane.discovery.Discovery;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.raft.RaftSettings;
import io.fulcrum.controlplane.resp.RespServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane node: the replicated state, its Raft member, the gRPC API and the optional
 * RESP endpoint. {@link #start} returns once everything is bound; {@link #close} stops it all.
 */
public final class ControlPlaneNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlaneNode.class);

    private final ControlPlaneSettings settings;
    private final ClusterStateMachine state;
    private final RaftServer raft;
    private final ApiNode api;
    private final RespServer resp;
    private final MetricsServer metrics;
    private final PrometheusRegistry registry;
    private final Path authFile;
    private final Discovery discovery;
    private final RestApi rest;

    private ControlPlaneNode(ControlPlaneSettings settings, ClusterStateMachine state, RaftServer raft, ApiNode api,
            RespServer resp, MetricsServer metrics, PrometheusRegistry registry, Path authFile, Discovery discovery,
            RestApi rest) {
        this.discovery = discovery;
        this.rest = rest;
        this.settings = settings;
        this.state = state;
        this.raft = raft;
        this.api = api;
        this.resp = resp;
        this.metrics = metrics;
        this.registry = registry;
        this.authFile = authFile;
    }

    /**
     * @throws IllegalArgumentException for inconsistent settings (the message says which)
     * @throws RuntimeException         if an address cannot be bound; nothing is left running
     */
    public static ControlPlaneNode start(ControlPlaneSettings settings) {
        List<String> initialPeers = initialPeers(settings);
        Path authFile = settings.insecureNoAuth() ? null
                : settings.authFile() != null ? settings.authFile() : settings.dataDir().resolve(AuthTable.GENERATED_FILE);
        AuthTable auth = settings.insecureNoAuth() ? null
                : settings.authFile() != null ? AuthTable.load(settings.authFile()) : AuthTable.generated(settings.dataDir());
        String respPassword = respPassword(settings);
        ClusterStateMachine state = new ClusterStateMachine();
        RaftServer raft = RaftServer.start(new RaftSettings(settings.raftAddress(), settings.dataDir(), initialPeers,
                settings.electionTimeoutMs(), settings.maxElectionDelayMs(), settings.snapshotIntervalSecs(),
                settings.fsync()), state);
        List<AutoCloseable> started = new ArrayList<>(List.of(raft));
        PrometheusRegistry registry = new PrometheusRegistry();
        try {
            ApiNode api = ApiNode.start(settings.id(), settings.apiAddress(), raft, state, auth, settings.tlsCert(),
                    settings.tlsKey(), settings.tlsCa() != null ? settings.tlsCa() : settings.tlsCert(),
                    settings.electionTimeoutMs(), settings.clock(), registry, settings.forgetDisconnectedAfter());
            started.add(0, api);
            RespServer resp = settings.respAddress() == null ? null
                    : RespServer.start(settings.respAddress(), respPassword, api::execAsResp, api.errors());
            if (resp != null) {
                started.add(0, resp);
            }
            Discovery discovery = Discovery.start(raft::isLeader, state::model, api.config()::commitDiscovered, registry,
                    settings.clock());
            started.add(0, discovery);
            api.config().showSources(discovery.view());
            RestApi rest = settings.restAddress() == null ? null : RestApi.start(settings.restAddress(),
                    settings.tlsCert() == null ? null : Path.of(settings.tlsCert()),
                    settings.tlsKey() == null ? null : Path.of(settings.tlsKey()), auth, api, state);
            if (rest != null) {
                started.add(0, rest);
            }
            MetricsServer metrics = settings.metricsAddress() == null ? null
                    : MetricsServer.start(settings.metricsAddress(), registry);
            ControlPlaneNode node = new ControlPlaneNode(settings, state, raft, api, resp, metrics, registry, authFile,
                    discovery, rest);
            log.info("control plane {} started: api {}, raft {}{}, data {}", settings.id(), api.address(),
                    settings.raftAddress(), resp == null ? "" : ", resp port " + resp.port(), settings.dataDir());
            return node;
        } catch (RuntimeException e) {
            for (AutoCloseable closeable : started) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The RESP password, from the flag or the file; null for no AUTH (only without authentication). */
    private static String respPassword(ControlPlaneSettings settings) {
        if (settings.respPassword() != null && settings.respPasswordFile() != null) {
            throw new IllegalArgumentException("give --resp-password or --resp-password-file, not both");
        }
        if (settings.respPasswordFile() != null) {
            AuthFile file = AuthFile.read(settings.respPasswordFile());
            if (file.hasRoles()) {
                throw new IllegalArgumentException("--resp-password-file " + settings.respPasswordFile()
                        + " holds ROLE TOKEN lines; it must hold the password alone (one token of at least "
                        + AuthFile.MIN_TOKEN_LENGTH + " characters)");
            }
            return file.entries().get(0).token();
        }
        if (settings.respAddress() != null && settings.respPassword() == null && !settings.insecureNoAuth()) {
            throw new IllegalArgumentException("--resp needs --resp-password-file (or --resp-password, or --insecure-no-auth)");
        }
        return settings.respPassword();
    }

    private static List<String> initialPeers(ControlPlaneSettings settings) {
        if (settings.join()) {
            return List.of();
        }
        if (settings.peers().isEmpty()) {
            return List.of(settings.raftAddress());
        }
        String mine = settings.peers().get(settings.id());
        if (mine == null) {
            throw new IllegalArgumentException("--peers must include this node (" + settings.id() + "), or give --join "
                    + "to join an existing cluster");
        }
        if (!mine.equals(settings.raftAddress())) {
            throw new IllegalArgumentException("--peers gives " + settings.id() + "=" + mine + " but --raft is "
                    + settings.raftAddress());
        }
        return List.copyOf(settings.peers().values());
    }

    public String id() {
        return settings.id();
    }

    /** host:port the gRPC API is bound to (the real port when 0 was asked for). */
    public String apiAddress() {
        return api.address();
    }

    /** The RESP port, or -1 without a RESP endpoint. */
    public int respPort() {
        return resp == null ? -1 : resp.port();
    }

    /** Where the tokens are (generated or given), or null without authentication. */
    public Path authFile() {
        return authFile;
    }

    /** host:port of the REST API and status page, or null without one. */
    public String restAddress() {
        return rest == null ? null : rest.address();
    }

    /** The metrics endpoint's port, or -1 without one. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** This member's metrics (also served by --metrics). */
    public PrometheusRegistry metrics() {
        return registry;
    }

    public ClusterStateMachine state() {
        return state;
    }

    public RaftServer raft() {
        return raft;
    }

    public ApiNode api() {
        return api;
    }

    /**
     * Stops this member without costing the cluster more than a leader change: when it leads and
     * has peers, it first hands leadership to the most up-to-date other member and waits, up to
     * {@code transferTimeout}, until another member leads (meanwhile its API keeps answering:
     * writes it receives are refused as retryable while the transfer runs, then forwarded to the
     * new leader); then {@link #close()}. A write this member proposed before either commits or
     * fails with {@code UNAVAILABLE} (retry with the same request id). Blocks the calling thread.
     *
     * @return how long the cluster had no leader this member knew of, in ms (0 when it did not lead)
     */
    public long stopGracefully(Duration transferTimeout) {
        long gap = 0;
        if (raft.isLeader() && raft.peers().size() > 1) {
            long start = System.nanoTime();
            try {
                raft.transferLeadership(null);
                long deadline = start + transferTimeout.toNanos();
                while (!otherLeader() && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                gap = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (otherLeader()) {
                    log.info("control plane {} handed leadership to {} in {} ms", settings.id(), raft.leaderAddress(), gap);
                } else {
                    log.warn("control plane {}: no other member leads {} ms after the transfer began; stopping anyway",
                            settings.id(), gap);
                }
            } catch (RuntimeException e) {
                log.warn("control plane {}: cannot transfer leadership ({}); stopping anyway", settings.id(), e.getMessage());
            }
        }
        close();
        return gap;
    }

    private boolean otherLeader() {
        String leader = raft.leaderAddress();
        return !raft.isLeader() && leader != null && !leader.equals(raft.address());
    }

    @Override
    public void close() {
        discovery.close();
        if (metrics != null) {
            metrics.close();
        }
        if (resp != null) {
            resp.close();
        }
        if (rest != null) {
            rest.close();
        }
        api.close();
        raft.close();
        log.info("control plane {} stopped", settings.id());
    }
}
