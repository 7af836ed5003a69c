package io.fulcrum.controlplane.api;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.config.schema.HostPort;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of a control-plane node: the Fulcrum services behind the auth interceptor, plus
 * server reflection and the standard {@code grpc.health.v1} service.
 */
public final class ApiServer implements AutoCloseable {
    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();

    ApiServer(String address, ServerCredentials credentials, AuthInterceptor auth, List<BindableService> services) {
        HostPort bind = HostPort.parse(address, true);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bind.host(), bind.port()), credentials)
                .maxInboundMessageSize(GrpcSetup.MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(ParseGuard.guard(service.bindService()), auth));
        }
        builder.addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), auth));
        builder.addService(health.getHealthService());
        this.server = builder.build();
    }

    /** @throws UncheckedIOException if the address cannot be bound */
    ApiServer start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the API on " + server, e);
        }
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }

    /** True when the server is bound (for tests). */
    boolean isRunning() {
        return !server.isShutdown();
    }

}
