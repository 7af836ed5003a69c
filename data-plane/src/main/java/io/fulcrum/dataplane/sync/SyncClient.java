package io.fulcrum.dataplane.sync;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.proto.v1.ControlPlaneMessage;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.Goodbye;
import io.fulcrum.proto.v1.HealthReport;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.Heartbeat;
import io.fulcrum.proto.v1.Hello;
import io.fulcrum.proto.v1.SyncServiceGrpc;
import io.fulcrum.proto.v1.Welcome;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a data plane in step with the control plane over one sync stream (see
 * docs/sync-protocol.md): Hello with the applied version, then each Snapshot applied and answered
 * with Ack or Nack; health transitions and heartbeats go the other way. When the stream breaks
 * the node keeps serving what it has (fail static) and reconnects to the next control-plane
 * address after a jittered, growing delay. A snapshot older than the applied version of the same
 * cluster is never applied ({@link SnapshotApplier}). All stream work runs on one thread.
 */
public final class SyncClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncClient.class);

    private final SyncedNode dataPlane;
    private final SyncSettings settings;
    private final ExponentialBackoff backoff;
    private final Clock clock;
    private final Random random;
    private final ScheduledExecutorService loop;
    private final ControlPlaneChannels channels;
    private final SnapshotApplier snapshots;
    private final VipReporting vips;
    private final long startedAt;

    // owned by the loop thread
    private Stream stream;
    private int serverIndex;
    private int failures;
    private boolean closed;

    private volatile boolean connected;
    private volatile long lastContact = -1;
    private volatile long disconnectedSince;
    private volatile String connectedTo = "";

    private SyncClient(SyncedNode dataPlane, SyncSettings settings, Clock clock, Random random, String appliedCluster,
            AppliedConfigListener onApplied, VipReporting vips) {
        this.dataPlane = dataPlane;
        this.vips = vips;
        this.settings = settings;
        this.backoff = settings.backoff();
        this.channels = new ControlPlaneChannels(settings);
        this.clock = clock;
        this.random = random;
        this.startedAt = clock.millis();
        this.disconnectedSince = startedAt;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-sync-" + dataPlane.nodeId());
            thread.setDaemon(true);
            return thread;
        });
        SyncMetrics metrics = new SyncMetrics(dataPlane.metrics(), () -> connected ? 1 : 0,
                () -> lastContact < 0 ? -1 : (clock.millis() - lastContact) / 1000.0);
        this.snapshots = new SnapshotApplier(dataPlane, metrics, appliedCluster, onApplied);
    }

    /**
     * Starts following the control plane; returns at once.
     *
     * @throws IllegalArgumentException if the settings' backoff is not valid
     */
    public static SyncClient start(SyncedNode dataPlane, SyncSettings settings, Clock clock, Random random) {
        return start(dataPlane, settings, clock, random, "", AppliedConfigListener.NONE);
    }

    /**
     * Starts following the control plane, for a node that already runs a config of cluster
     * {@code appliedCluster} (the last-good config loaded from disk; empty: none): Hello reports
     * that cluster with the node's applied version, so a member of the same cluster never sends
     * anything older. Each config applied from a snapshot goes to {@code onApplied}. Returns at once.
     *
     * @throws IllegalArgumentException if the settings' backoff is not valid
     */
    public static SyncClient start(SyncedNode dataPlane, SyncSettings settings, Clock clock, Random random,
            String appliedCluster, AppliedConfigListener onApplied) {
        return start(dataPlane, settings, clock, random, appliedCluster, onApplied, VipReporting.NONE);
    }

    /**
     * Like {@link #start(SyncedNode, SyncSettings, Clock, Random, String, AppliedConfigListener)},
     * for a node that supervises VIPs: the fleet goes to {@code vips}, its roles go out with each
     * heartbeat. Returns at once.
     */
    public static SyncClient start(SyncedNode dataPlane, SyncSettings settings, Clock clock, Random random,
            String appliedCluster, AppliedConfigListener onApplied, VipReporting vips) {
        SyncClient client = new SyncClient(dataPlane, settings, clock, random, appliedCluster, onApplied, vips);
        dataPlane.health().addListener(client::onHealthTransition);
        client.loop.execute(client::connect);
        return client;
    }

    /** True while a stream to a control plane is established. */
    public boolean connected() {
        return connected;
    }

    /** True once any control-plane member has answered this client (a Welcome or anything after it). */
    public boolean hasReachedControlPlane() {
        return lastContact >= 0;
    }

    /** The control-plane member the stream is connected to, or empty. */
    public String connectedTo() {
        return connected ? connectedTo : "";
    }

    /**
     * Null while connected; otherwise how long the node has served its last config without a
     * control plane, in words (for /ready: the node stays ready, fail static).
     */
    public String disconnectedNote() {
        if (connected) {
            return null;
        }
        long seconds = (clock.millis() - disconnectedSince) / 1000;
        return "no control plane reachable for " + seconds + " s; serving config version " + dataPlane.appliedVersion();
    }

    private void connect() {
        if (closed) {
            return;
        }
        String server = settings.servers().get(serverIndex % settings.servers().size());
        Stream next = new Stream(server);
        stream = next;
        try {
            next.open(SyncServiceGrpc.newStub(channels.channel(server)).withInterceptors(GrpcSetup.bearerInterceptor(settings.token())));
        } catch (RuntimeException e) {
            log.warn("cannot open a sync stream to {}: {}", server, e.getMessage());
            broken(next);
        }
    }

    /** The stream ended or failed: keep serving, try the next server after a jittered delay. */
    private void broken(Stream which) {
        if (which != stream || closed) {
            return;
        }
        which.stop();
        stream = null;
        if (connected) {
            disconnectedSince = clock.millis();
            log.warn("lost the control plane {}; serving config version {} until one is back", which.server,
                    dataPlane.appliedVersion());
        }
        connected = false;
        failures++;
        serverIndex++;
        loop.schedule(this::connect, backoff.delayMillis(failures, random), TimeUnit.MILLISECONDS);
    }

    private void onWelcome(Stream which, Welcome welcome) {
        connected = true;
        connectedTo = welcome.getControlPlaneId();
        failures = 0;
        log.info("syncing with control plane {} ({}), cluster {}", welcome.getControlPlaneId(), which.server,
                welcome.getClusterId());
        which.schedule(loop.scheduleWithFixedDelay(() -> heartbeat(which), 0, Math.max(100, welcome.getHeartbeatIntervalMs()),
                TimeUnit.MILLISECONDS));
        which.schedule(loop.scheduleWithFixedDelay(() -> fullReport(which), 0,
                Math.max(500, welcome.getFullHealthIntervalMs()), TimeUnit.MILLISECONDS));
    }

    private void heartbeat(Stream which) {
        which.send(DataPlaneMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAppliedVersion(dataPlane.appliedVersion())
                .setOpenConnections(dataPlane.openConnections()).setReady(dataPlane.hasAppliedConfig())
                .setDraining(dataPlane.draining()).setUptimeMs(clock.millis() - startedAt).addAllVips(vips.statuses())
                .addAllDrainedServers(dataPlane.drainedServers()).addAllListeners(dataPlane.listenerCounters())).build());
    }

    private void fullReport(Stream which) {
        which.send(DataPlaneMessage.newBuilder().setHealthReport(HealthReport.newBuilder().setFull(true)
                .addAllEntries(dataPlane.health().snapshot()).setVersion(dataPlane.appliedVersion())).build());
    }

    /** Runs {@code task} on the loop thread; after {@link #close()} there is nothing left to do. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closed) {
            // the client is closed: callbacks of its streams have nothing to do
        }
    }

    private void onHealthTransition(HealthTransition transition) {
        onLoop(() -> {
            if (stream != null && connected) {
                stream.send(DataPlaneMessage.newBuilder().setHealthReport(HealthReport.newBuilder().setFull(false)
                        .addEntries(transition.getHealth()).setVersion(dataPlane.appliedVersion())).build());
            }
        });
    }

    /**
     * Sends a Heartbeat now rather than at the next interval (e.g. when the node starts draining,
     * so that the control plane shows it at once). Nothing when not connected; returns at once.
     */
    public void heartbeatNow() {
        onLoop(() -> {
            if (stream != null && connected) {
                heartbeat(stream);
            }
        });
    }

    /**
     * Says Goodbye (the node stops for good: the control plane forgets it instead of showing it
     * DISCONNECTED), then closes as {@link #close()} does. {@code reason} is logged by the
     * control plane.
     */
    public void leave(String reason) {
        close(reason);
    }

    /** Ends the stream and stops; the node is left as it is (the control plane shows it DISCONNECTED). */
    @Override
    public void close() {
        close(null);
    }

    private void close(String goodbye) {
        try {
            loop.submit(() -> {
                closed = true;
                if (stream != null) {
                    if (goodbye != null && connected) {
                        heartbeat(stream);
                        stream.send(DataPlaneMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(goodbye)).build());
                    }
                    stream.finish();
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("sync loop did not stop cleanly", e);
        }
        loop.shutdownNow();
        channels.close();
        connected = false;
    }

    /** One sync stream; callbacks hop onto the loop thread. */
    private final class Stream implements ClientResponseObserver<DataPlaneMessage, ControlPlaneMessage> {
        private final String server;
        private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
        private ClientCallStreamObserver<DataPlaneMessage> requests;

        Stream(String server) {
            this.server = server;
        }

        void open(SyncServiceGrpc.SyncServiceStub stub) {
            stub.stream(this);
            send(DataPlaneMessage.newBuilder().setHello(Hello.newBuilder().setNodeId(dataPlane.nodeId())
                    .setClusterId(snapshots.appliedCluster()).setAppliedVersion(dataPlane.appliedVersion())
                    .putAllLabels(settings.labels()).setSoftwareVersion(softwareVersion()).addAllVips(vips.statuses())).build());
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<DataPlaneMessage> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(ControlPlaneMessage message) {
            onLoop(() -> {
                if (this != stream) {
                    return;
                }
                lastContact = clock.millis();
                switch (message.getMessageCase()) {
                    case WELCOME -> onWelcome(this, message.getWelcome());
                    case SNAPSHOT -> send(snapshots.answer(message.getSnapshot()));
                    case FLEET -> vips.fleet(message.getFleet());
                    case HEARTBEAT_ACK, MESSAGE_NOT_SET -> { } // contact is all a HeartbeatAck says
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            onLoop(() -> {
                if (this == stream) {
                    log.debug("sync stream to {} failed: {}", server, t.getMessage());
                }
                broken(this);
            });
        }

        @Override
        public void onCompleted() {
            onLoop(() -> broken(this));
        }

        void send(DataPlaneMessage message) {
            try {
                requests.onNext(message);
            } catch (RuntimeException e) {
                log.debug("cannot send on the sync stream to {}: {}", server, e.getMessage());
            }
        }

        void schedule(ScheduledFuture<?> task) {
            tasks.add(task);
        }

        void stop() {
            tasks.forEach(t -> t.cancel(false));
            tasks.clear();
        }

        void finish() {
            stop();
            try {
                requests.onCompleted();
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }

    private static String softwareVersion() {
        String version = SyncClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
