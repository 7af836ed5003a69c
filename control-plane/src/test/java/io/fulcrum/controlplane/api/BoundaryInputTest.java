package io.fulcrum.controlplane.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.DataPlaneMessage;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.Hello;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.SyncServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.grpc.Metadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the control plane's gRPC boundary (issue 22, item 3): bytes that are not the
 * method's message on every method of every service, a message over the size limit, a change too
 * large for one log entry, and sync streams that send nonsense or nothing. Each gets an error
 * status (never UNKNOWN, never a crash), the member keeps serving, nothing is stored, and no
 * session is left behind.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundaryInputTest {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final Set<Status.Code> BAD_INPUT = Set.of(Status.Code.INTERNAL, Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.OUT_OF_RANGE, Status.Code.ALREADY_EXISTS);

    private TestCluster cluster;
    private ControlPlaneNode node;
    private ManagedChannel channel;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1);
        node = cluster.leader();
        channel = cluster.clients().channel(node.apiAddress());
        cluster.clients().exec(node.apiAddress(), cluster.tokens().operator(),
                "add server-group g timeout 500 period 1000 up 2 down 3\nadd server s1 to server-group g address 10.0.0.1:80");
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private io.grpc.Channel authorized(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return method.toBuilder(BYTES, BYTES).build();
    }

    /** The status of calling {@code method} with {@code body}: an error is expected. */
    private Status call(io.grpc.Channel on, MethodDescriptor<?, ?> method, byte[] body) {
        MethodDescriptor<byte[], byte[]> rawMethod = raw(method);
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
        try {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(on, rawMethod, options, body);
            } else if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
                ClientCalls.blockingServerStreamingCall(on, rawMethod, options, body).next();
            } else {
                throw new AssertionError("not tried here: " + method.getFullMethodName());
            }
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        return Status.OK;
    }

    private io.fulcrum.proto.v1.Config script() {
        return node.state().model().toProto();
    }

    /** What a message that does not parse gets ({@code ParseGuard}): INVALID_ARGUMENT naming its type. */
    private static boolean unparsable(Status status) {
        return status.getCode() == Status.Code.INVALID_ARGUMENT && status.getDescription().startsWith("the request is not a valid ");
    }

    private long version() {
        return node.state().model().version();
    }

    private void assertServing() {
        assertTrue(cluster.clients().cluster(node.apiAddress(), cluster.tokens().viewer())
                .status(StatusRequest.getDefaultInstance()).getMembersCount() > 0, "the member still answers");
    }

    @Test
    void bytesThatAreNotTheMessageGetAnErrorOnEveryMethodAndStoreNothing() {
        io.fulcrum.proto.v1.Config before = script();
        long version = version();
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
        for (ServiceDescriptor service : List.of(ConfigServiceGrpc.getServiceDescriptor(), ClusterServiceGrpc.getServiceDescriptor())) {
            service.getMethods().forEach(methods::add);
        }
        Random random = new Random(22);
        List<byte[]> bodies = new ArrayList<>(List.of(
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // a varint tag that overflows
                new byte[] {0x0a, 0x7f, 'x'}, // a length-delimited field longer than the message
                new byte[] {0x0b}, // a start-group tag with no end
                new byte[] {0x00})); // field number 0
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            bodies.add(junk);
        }
        io.grpc.Channel operator = authorized(cluster.tokens().operator());
        int unparsed = 0;
        for (MethodDescriptor<?, ?> method : methods) {
            for (byte[] body : bodies) {
                Status status = call(operator, method, body);
                Status.Code code = status.getCode();
                // random bytes sometimes are a valid message (unknown fields): then an answer or a
                // request error, but never an exception that escaped our code, or a stored change
                assertTrue(code == Status.Code.OK || BAD_INPUT.contains(code) || code == Status.Code.PERMISSION_DENIED,
                        method.getFullMethodName() + " answered " + status);
                unparsed += unparsable(status) ? 1 : 0;
            }
        }
        assertTrue(unparsed >= 4 * methods.size(), "at least the four malformed bodies were named as such: " + unparsed);
        assertServing();
        assertEquals(version, version(), "nothing was committed");
        assertEquals(before, script());
    }

    @Test
    void aMessageOverTheLimitIsResourceExhaustedAndAChangeTooLargeForOneLogEntryIsRefusedByName() {
        io.grpc.Channel operator = authorized(cluster.tokens().operator());
        byte[] huge = ExecRequest.newBuilder().setText("x".repeat(GrpcSetup.MAX_MESSAGE_BYTES + 10)).build().toByteArray();
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, call(operator, ConfigServiceGrpc.getExecMethod(), huge).getCode());
        long version = version();
        StringBuilder many = new StringBuilder();
        String address = "10.0.0.2:80";
        for (int i = 0; many.length() < 20 * 1024 * 1024; i++) {
            many.append("add server big").append(i).append(" to server-group g address ").append(address)
                    .append(" weight 1\n");
        }
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> cluster.clients().exec(node.apiAddress(), cluster.tokens().operator(), many.toString()));
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.toString());
        assertTrue(refused.getStatus().getDescription().contains("larger than the 16 MiB one change may be"),
                refused.getStatus().getDescription());
        assertEquals(version, version());
        assertServing();
    }

    @Test
    void syncStreamsThatSendNonsenseOrNothingAreClosedAndLeaveNoSession() throws Exception {
        io.grpc.Channel dataPlane = authorized(cluster.tokens().dataPlane());
        // bytes that are not a DataPlaneMessage
        CompletableFuture<Status> garbage = rawStream(dataPlane, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertTrue(unparsable(garbage.get(20, TimeUnit.SECONDS)), garbage.get().toString());
        // a Hello whose node id is not a name, or one that floods the observed state with labels
        Hello.Builder flood = Hello.newBuilder().setNodeId("dp-flood");
        for (int i = 0; i < 1000; i++) {
            flood.putLabels("k" + i, "v");
        }
        for (Hello hello : List.of(Hello.newBuilder().setNodeId("").build(), Hello.newBuilder().setNodeId("a\nb c").build(),
                Hello.newBuilder().setNodeId("n".repeat(10_000)).build(), flood.build())) {
            Status status = stream(dataPlane, DataPlaneMessage.newBuilder().setHello(hello).build()).get(20, TimeUnit.SECONDS);
            assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
            assertTrue(status.getDescription().startsWith("Hello"), status.getDescription());
        }
        // messages that belong after a Hello, before it: ignored; then the Hello deadline closes the stream
        CompletableFuture<Status> early = stream(dataPlane,
                DataPlaneMessage.newBuilder().setAck(io.fulcrum.proto.v1.Ack.newBuilder().setVersion(99).setNonce("x")).build(),
                DataPlaneMessage.newBuilder().setHeartbeat(io.fulcrum.proto.v1.Heartbeat.getDefaultInstance()).build());
        // a stalled client (slowloris): opens streams and says nothing
        List<CompletableFuture<Status>> stalled = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            stalled.add(stream(dataPlane));
        }
        Poll.until(Duration.ofSeconds(5), () -> streams() >= 51, () -> "streams open: " + streams());
        Status closed = early.get(30, TimeUnit.SECONDS);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, closed.getCode(), closed.toString());
        assertTrue(closed.getDescription().contains("no Hello within"), closed.getDescription());
        for (CompletableFuture<Status> each : stalled) {
            assertEquals(Status.Code.DEADLINE_EXCEEDED, each.get(30, TimeUnit.SECONDS).getCode());
        }
        Poll.until(Duration.ofSeconds(5), () -> streams() == 0, () -> "sessions left: " + streams());
        assertEquals(0, cluster.clients().cluster(node.apiAddress(), cluster.tokens().viewer())
                .nodes(NodesRequest.getDefaultInstance()).getNodesCount(), "no node was recorded");
        assertServing();
    }

    @Test
    void aSyncStreamWithAWrongTokenOrAnOperatorTokenIsRefusedBeforeAnyMessage() throws Exception {
        Hello hello = Hello.newBuilder().setNodeId("dp-x").build();
        DataPlaneMessage message = DataPlaneMessage.newBuilder().setHello(hello).build();
        assertEquals(Status.Code.UNAUTHENTICATED, stream(authorized("not-a-token"), message).get(20, TimeUnit.SECONDS).getCode());
        assertEquals(Status.Code.PERMISSION_DENIED,
                stream(authorized(cluster.tokens().viewer()), message).get(20, TimeUnit.SECONDS).getCode());
        assertEquals(0, cluster.clients().cluster(node.apiAddress(), cluster.tokens().viewer())
                .nodes(NodesRequest.getDefaultInstance()).getNodesCount());
    }

    private double streams() {
        return node.metrics().scrape().stream().filter(m -> m.getMetadata().getName().equals("fulcrum_sync_streams"))
                .flatMap(m -> m.getDataPoints().stream())
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot) p).getValue())
                .sum();
    }

    /** A sync stream that sends {@code messages} and stays open; completes with how it ended. */
    private CompletableFuture<Status> stream(io.grpc.Channel on, DataPlaneMessage... messages) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<DataPlaneMessage> requests = SyncServiceGrpc.newStub(on).stream(endingIn(ended));
        for (DataPlaneMessage message : messages) {
            requests.onNext(message);
        }
        return ended;
    }

    /** A sync stream whose first message is {@code body}, whatever it is. */
    private CompletableFuture<Status> rawStream(io.grpc.Channel on, byte[] body) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = on.newCall(raw(SyncServiceGrpc.getStreamMethod()), CallOptions.DEFAULT);
        ClientCalls.asyncBidiStreamingCall(call, BoundaryInputTest.<byte[]>endingIn(ended)).onNext(body);
        return ended;
    }

    /** Ignores what the member sends; completes {@code ended} with how the stream ended. */
    private static <T> StreamObserver<T> endingIn(CompletableFuture<Status> ended) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        };
    }
}
