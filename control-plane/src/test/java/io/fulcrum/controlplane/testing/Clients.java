package io.fulcrum.controlplane.testing;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.grpc.ManagedChannel;
import io.grpc.InsecureChannelCredentials;
import io.grpc.stub.AbstractStub;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** gRPC stubs for test clients, one cached channel per API address. */
public final class Clients implements AutoCloseable {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ConfigServiceGrpc.ConfigServiceBlockingStub config(String apiAddress, String token) {
        return withToken(ConfigServiceGrpc.newBlockingStub(channel(apiAddress)), token);
    }

    public ClusterServiceGrpc.ClusterServiceBlockingStub cluster(String apiAddress, String token) {
        return withToken(ClusterServiceGrpc.newBlockingStub(channel(apiAddress)), token);
    }

    public ConfigServiceGrpc.ConfigServiceStub configAsync(String apiAddress, String token) {
        return withToken(ConfigServiceGrpc.newStub(channel(apiAddress)), token);
    }

    /** Runs command-language text as {@code token}. */
    public ExecResponse exec(String apiAddress, String token, String text) {
        return config(apiAddress, token).exec(ExecRequest.newBuilder().setText(text).build());
    }

    public ManagedChannel channel(String apiAddress) {
        return channels.computeIfAbsent(apiAddress, a -> GrpcSetup.channel(a, InsecureChannelCredentials.create()).build());
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        S result = stub.withDeadlineAfter(20, TimeUnit.SECONDS);
        if (token == null) {
            return result;
        }
        return result.withInterceptors(GrpcSetup.bearerInterceptor(token));
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
