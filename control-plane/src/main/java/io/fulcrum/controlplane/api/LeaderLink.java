package io.fulcrum.controlplane.api;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.internal.PeerServiceGrpc;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Forwards a request that only the leader can serve to the leader's API, authenticated with the
 * cluster's peer token and naming the original caller. A client never sees the difference.
 * Thread-safe; channels are cached per leader address.
 */
final class LeaderLink implements AutoCloseable {
    private static final long DEADLINE_SECONDS = 15;

    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final ChannelCredentials credentials;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    LeaderLink(RaftServer raft, ClusterStateMachine state, ChannelCredentials credentials) {
        this.raft = raft;
        this.state = state;
        this.credentials = credentials;
    }

    ConfigServiceGrpc.ConfigServiceStub config(Principal caller) {
        return prepare(ConfigServiceGrpc.newStub(channel()), caller);
    }

    ClusterServiceGrpc.ClusterServiceStub cluster(Principal caller) {
        return prepare(ClusterServiceGrpc.newStub(channel()), caller);
    }

    PeerServiceGrpc.PeerServiceStub peer(Principal caller) {
        return prepare(PeerServiceGrpc.newStub(channel()), caller);
    }

    private <S extends AbstractStub<S>> S prepare(S stub, Principal caller) {
        if (caller.role() == Role.PEER) {
            // already forwarded once: the leader moved in between; let the client retry
            throw new NotLeaderException(raft.leaderAddress(), "leadership moved while the request was forwarded");
        }
        Metadata headers = GrpcSetup.bearer(state.bootstrap().getPeerToken());
        headers.put(AuthInterceptor.ON_BEHALF_OF, caller.name());
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private ManagedChannel channel() {
        String leader = raft.leaderAddress();
        if (leader == null) {
            throw new NotLeaderException(null, "no leader");
        }
        if (state.bootstrap().getPeerToken().isEmpty()) {
            throw new NotLeaderException(leader, "the cluster is not bootstrapped yet");
        }
        String api = state.members().values().stream().filter(m -> m.getRaftAddress().equals(leader))
                .map(MemberInfo::getApiAddress).findFirst().orElse(null);
        if (api == null || api.isEmpty()) {
            throw new NotLeaderException(leader, "the leader " + leader + " has not announced its API address yet");
        }
        return channels.computeIfAbsent(api, address -> GrpcSetup.channel(address, credentials).build());
    }

    /** Runs a unary call and completes with its single response. */
    static <T> CompletableFuture<T> unary(Consumer<StreamObserver<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.accept(new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(new IllegalStateException("no response"));
            }
        });
        return result;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
