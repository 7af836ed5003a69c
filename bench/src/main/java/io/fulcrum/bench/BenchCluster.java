package io.fulcrum.bench;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.ControlPlaneSettings;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.ExecRequest;
import io.grpc.ManagedChannel;
import io.grpc.InsecureChannelCredentials;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A control plane of 1, 3 or 5 members in this JVM (fsync on, loopback ports), with an operator
 * client connected to the leader, for benchmarks. Not a test fixture: it waits without deadlines.
 */
public final class BenchCluster implements AutoCloseable {
    public static final String OPERATOR_TOKEN = "bench-operator-token-0123456789";
    public static final String DATA_PLANE_TOKEN = "bench-data-plane-token-0123456789";

    private final List<ControlPlaneNode> members = new ArrayList<>();
    private final ManagedChannel channel;
    private final ConfigServiceGrpc.ConfigServiceBlockingStub config;

    private BenchCluster(Path dir, int size) throws IOException {
        Path auth = dir.resolve("auth.conf");
        Files.writeString(auth, "operator " + OPERATOR_TOKEN + "\ndata-plane " + DATA_PLANE_TOKEN + "\n");
        Map<String, String> peers = new LinkedHashMap<>();
        Map<String, String> apis = new LinkedHashMap<>();
        for (int i = 1; i <= size; i++) {
            peers.put("cp" + i, "127.0.0.1:" + freePort());
            apis.put("cp" + i, "127.0.0.1:" + freePort());
        }
        for (String id : peers.keySet()) {
            members.add(ControlPlaneNode.start(ControlPlaneSettings.builder(id, dir.resolve(id)).raft(peers.get(id))
                    .api(apis.get(id)).peers(peers).authFile(auth).build()));
        }
        channel = GrpcSetup.channel(leader().apiAddress(), InsecureChannelCredentials.create()).build();
        config = stub(channel);
        while (members.stream().anyMatch(m -> m.state().members().size() < size)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Starts {@code size} members with their data under {@code dir} and waits for a leader. */
    public static BenchCluster start(Path dir, int size) throws IOException {
        return new BenchCluster(dir, size);
    }

    public List<ControlPlaneNode> members() {
        return members;
    }

    /** The member that leads and has bootstrapped the cluster. */
    public ControlPlaneNode leader() {
        while (true) {
            for (ControlPlaneNode member : members) {
                if (member.raft().isLeader() && !member.state().bootstrap().getClusterId().isEmpty()) {
                    return member;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Commits {@code text} (one atomic batch of commands) through the leader; returns its version. */
    public long exec(String text) {
        return config.withDeadlineAfter(60, TimeUnit.SECONDS).exec(ExecRequest.newBuilder().setText(text).build())
                .getVersion();
    }

    /** A second client connection to the leader, for concurrent writers. */
    public ManagedChannel newChannel() {
        return GrpcSetup.channel(leader().apiAddress(), InsecureChannelCredentials.create()).build();
    }

    /** An operator's ConfigService client on {@code on}. */
    public static ConfigServiceGrpc.ConfigServiceBlockingStub stub(ManagedChannel on) {
        return ConfigServiceGrpc.newBlockingStub(on).withInterceptors(GrpcSetup.bearerInterceptor(OPERATOR_TOKEN));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        members.forEach(ControlPlaneNode::close);
    }
}
