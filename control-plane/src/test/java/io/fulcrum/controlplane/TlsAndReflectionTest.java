package io.fulcrum.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.SelfSigned;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.ExecRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The API over TLS (members forward to each other over TLS too), and server reflection. */
@Timeout(120)
class TlsAndReflectionTest {

    private static ConfigServiceGrpc.ConfigServiceBlockingStub stub(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ConfigServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void writesThroughAFollowerWorkOverTlsAndPlainTextIsRefused(@TempDir Path dir) throws Exception {
        Preconditions.requireExecutable("/usr/bin/openssl", "apt-get install openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        SelfSigned.loopback(cert, key);
        try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 3,
                b -> b.tls(cert.toString(), key.toString(), null))) {
            String follower = cluster.follower().apiAddress();
            ManagedChannel tls = Grpc.newChannelBuilder(follower,
                    TlsChannelCredentials.newBuilder().trustManager(cert.toFile()).build()).build();
            try {
                var reply = stub(tls, cluster.tokens().operator()).exec(ExecRequest.newBuilder().setText("add upstream secure").build());
                assertEquals(List.of("OK"), reply.getLinesList());
                assertThrows(StatusRuntimeException.class, () -> stub(cluster.clients().channel(follower),
                        cluster.tokens().operator()).exec(ExecRequest.newBuilder().setText("list upstream").build()));
            } finally {
                tls.shutdownNow();
            }
        }
    }

    @Test
    void reflectionListsTheFulcrumServices(@TempDir Path dir) throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 1)) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + cluster.tokens().viewer());
            var reflection = ServerReflectionGrpc.newStub(cluster.clients().channel(cluster.leader().apiAddress()))
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> requests = reflection.serverReflectionInfo(new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                }
            });
            requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            List<String> services = answer.get(20, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                    .map(s -> s.getName()).toList();
            requests.onCompleted();
            assertTrue(services.containsAll(List.of("fulcrum.v1.ConfigService", "fulcrum.v1.ClusterService",
                    "grpc.health.v1.Health")), services.toString());
        }
    }
}
