package io.fulcrum.controlplane.api;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.config.schema.HostPort;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.internal.ObserveReply;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.controlplane.state.DataPlaneView;
import io.fulcrum.controlplane.sync.SyncMetrics;
import io.fulcrum.controlplane.sync.SyncService;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The API side of a control-plane node: the operations, the gRPC server, forwarding to the leader
 * and the member's self-announcement.
 */
public final class ApiNode implements AutoCloseable {
    private static final Principal RESP = new Principal("resp", Role.OPERATOR);

    private final ConfigOperations config;
    private final ClusterOperations cluster;
    private final SyncService sync;
    private final ApiServer server;
    private final LeaderLink leader;
    private final ScheduledExecutorService timer;
    private final String address;
    private final Errors errors;
    private final HistoryOperations history;

    private ApiNode(ConfigOperations config, ClusterOperations cluster, HistoryOperations history, SyncService sync,
            ApiServer server, LeaderLink leader, ScheduledExecutorService timer, String address, Errors errors) {
        this.errors = errors;
        this.history = history;
        this.config = config;
        this.cluster = cluster;
        this.sync = sync;
        this.server = server;
        this.leader = leader;
        this.timer = timer;
        this.address = address;
    }

    /**
     * @param auth null: no authentication
     * @param forgetDisconnectedAfter how long a data plane may stay DISCONNECTED before the leader
     *                                forgets it; zero: never on its own
     */
    public static ApiNode start(String id, String apiAddress, RaftServer raft, ClusterStateMachine state, AuthTable auth,
            String tlsCert, String tlsKey, String tlsCa, int electionTimeoutMs, Clock clock, PrometheusRegistry metrics,
            Duration forgetDisconnectedAfter) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-cp-" + id);
            thread.setDaemon(true);
            return thread;
        });
        LeaderLink leader = new LeaderLink(raft, state, GrpcSetup.clientCredentials(false, tlsCa == null ? null : Path.of(tlsCa)));
        ConfigOperations config = new ConfigOperations(raft, state, leader, DataPlaneView.serverHealthView(state, clock), clock);
        ClusterOperations cluster = new ClusterOperations(id, raft, state, leader, clock, electionTimeoutMs);
        NodeForgetting forgetting = new NodeForgetting(raft, state, leader, clock, forgetDisconnectedAfter);
        Errors errors = new Errors(id, clock);
        Responder responder = new Responder(errors);
        PeerServiceImpl peers = new PeerServiceImpl(raft, clock, responder);
        Principal member = new Principal("member:" + id, Role.OPERATOR);
        SyncService sync = new SyncService(id, state, new SyncMetrics(metrics), clock, update -> raft.isLeader()
                ? peers.replicate(update)
                : LeaderLink.<ObserveReply>unary(o -> leader.peer(member).observe(update, o)));
        AuthInterceptor interceptor = new AuthInterceptor(auth, () -> state.bootstrap().getPeerToken());
        HistoryOperations history = new HistoryOperations(config, raft, state, leader);
        ApiServer server;
        try {
            server = new ApiServer(apiAddress, GrpcSetup.serverCredentials(tlsCert == null ? null : Path.of(tlsCert), tlsKey == null ? null : Path.of(tlsKey)), interceptor, List.of(
                    new ConfigServiceImpl(config, history, state, errors), new ClusterServiceImpl(cluster, forgetting, timer, responder), sync, peers)).start();
        } catch (RuntimeException e) {
            timer.shutdownNow();
            sync.close();
            leader.close();
            throw e;
        }
        HostPort bind = HostPort.parse(apiAddress, true);
        String address = new HostPort(bind.host(), server.port(), bind.ip()).toString();
        MemberInfo self = MemberInfo.newBuilder().setId(id).setRaftAddress(raft.address()).setApiAddress(address).build();
        SelfAnnouncer announcer = new SelfAnnouncer(self, raft, state, leader, clock);
        state.onLeaderStart(term -> {
            timer.execute(announcer);
            timer.execute(guarded(forgetting::sweep));
        });
        if (!forgetDisconnectedAfter.isZero()) {
            long period = NodeForgetting.sweepPeriodMs(forgetDisconnectedAfter);
            timer.scheduleWithFixedDelay(guarded(forgetting::sweep), period, period, TimeUnit.MILLISECONDS);
        }
        timer.scheduleWithFixedDelay(guarded(announcer), 0, 300, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guarded(sync::flushObservations), 200, 200, TimeUnit.MILLISECONDS);
        return new ApiNode(config, cluster, history, sync, server, leader, timer, address, errors);
    }

    /** A periodic task that survives its own failures (an escaping exception cancels a scheduled task for good). */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ApiNode.class).warn("periodic task failed: {}", e.toString());
            }
        };
    }

    /** host:port of the gRPC API. */
    public String address() {
        return address;
    }

    public ConfigOperations config() {
        return config;
    }

    public ClusterOperations cluster() {
        return cluster;
    }

    public HistoryOperations history() {
        return history;
    }

    /** How this member's failures read to clients (gRPC and RESP). */
    public Errors errors() {
        return errors;
    }

    public SyncService sync() {
        return sync;
    }

    /** Runs command-language text for the RESP endpoint (an operator session), with the request id RESP's WITH-ID gave, if any. */
    public CompletableFuture<ExecResponse> execAsResp(ExecRequest request) {
        return config.exec(request, RESP);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sync.close();
        server.close();
        leader.close();
    }
}
