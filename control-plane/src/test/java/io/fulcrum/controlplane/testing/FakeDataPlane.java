package io.fulcrum.controlplane.testing;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.proto.v1.Ack;
import io.fulcrum.proto.v1.ControlPlaneMessage;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.HealthReport;
import io.fulcrum.proto.v1.Heartbeat;
import io.fulcrum.proto.v1.Hello;
import io.fulcrum.proto.v1.Nack;
import io.fulcrum.proto.v1.Snapshot;
import io.fulcrum.proto.v1.SyncServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted data plane on one sync stream: the test decides when it acknowledges or rejects, so
 * the control plane's side of the protocol can be checked step by step.
 */
public final class FakeDataPlane implements AutoCloseable {
    private final String nodeId;
    private final StreamObserver<DataPlaneMessage> requests;
    private final List<ControlPlaneMessage> received = new CopyOnWriteArrayList<>();
    private volatile Throwable error;

    public FakeDataPlane(ManagedChannel channel, String token, String nodeId, long appliedVersion, String clusterId) {
        this.nodeId = nodeId;
        this.requests = SyncServiceGrpc.newStub(channel).withInterceptors(GrpcSetup.bearerInterceptor(token))
                .stream(new StreamObserver<>() {
                    @Override
                    public void onNext(ControlPlaneMessage message) {
                        received.add(message);
                    }

                    @Override
                    public void onError(Throwable t) {
                        error = t;
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        send(DataPlaneMessage.newBuilder().setHello(Hello.newBuilder().setNodeId(nodeId).setAppliedVersion(appliedVersion)
                .setClusterId(clusterId)).build());
    }

    public synchronized void send(DataPlaneMessage message) {
        requests.onNext(message);
    }

    public List<Snapshot> snapshots() {
        return received.stream().filter(ControlPlaneMessage::hasSnapshot).map(ControlPlaneMessage::getSnapshot).toList();
    }

    /** Waits for the {@code n}-th snapshot (1-based). */
    public Snapshot awaitSnapshot(int n) {
        return Poll.value(Duration.ofSeconds(20), "snapshot #" + n + " for " + nodeId,
                () -> snapshots().size() >= n ? snapshots().get(n - 1) : null);
    }

    public void ack(Snapshot snapshot) {
        send(DataPlaneMessage.newBuilder().setAck(Ack.newBuilder().setVersion(snapshot.getVersion())
                .setNonce(snapshot.getNonce())).build());
    }

    public void nack(Snapshot snapshot, String why) {
        send(DataPlaneMessage.newBuilder().setNack(Nack.newBuilder().setVersion(snapshot.getVersion())
                .setNonce(snapshot.getNonce()).setError(why)).build());
    }

    public void report(HealthReport report) {
        send(DataPlaneMessage.newBuilder().setHealthReport(report).build());
    }

    public void heartbeat(long applied) {
        send(DataPlaneMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAppliedVersion(applied).setReady(true))
                .build());
    }

    /** A heartbeat that reports VRRP roles. */
    public void heartbeat(long applied, java.util.List<io.fulcrum.proto.v1.VipStatus> vips) {
        send(DataPlaneMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setAppliedVersion(applied).setReady(true)
                .addAllVips(vips)).build());
    }

    /** Every Fleet received, oldest first. */
    public java.util.List<io.fulcrum.proto.v1.Fleet> fleets() {
        return received.stream().filter(ControlPlaneMessage::hasFleet).map(ControlPlaneMessage::getFleet).toList();
    }

    public Throwable error() {
        return error;
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // fine
        }
    }
}
