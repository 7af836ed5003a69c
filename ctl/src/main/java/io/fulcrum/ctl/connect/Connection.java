package io.fulcrum.ctl.connect;

import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * fctl's link to the cluster: the servers to try, the token, the credentials. {@link #call} tries
 * each server in turn while they answer UNAVAILABLE. Not thread-safe (one command at a time).
 */
public final class Connection implements AutoCloseable {

    private final List<String> servers;
    private final String token;
    private final ChannelCredentials credentials;
    private final int timeoutSeconds;
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private int preferred;

    private Connection(List<String> servers, String token, ChannelCredentials credentials, int timeoutSeconds) {
        this.servers = servers;
        this.token = token;
        this.credentials = credentials;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The stubs of one server, with the token and a deadline attached. */
    public record Stubs(ConfigServiceGrpc.ConfigServiceBlockingStub config, ClusterServiceGrpc.ClusterServiceBlockingStub cluster,
            ConfigServiceGrpc.ConfigServiceStub configAsync, String server) {
    }

    /**
     * A connection as {@code options} say, with the defaults filled in: the servers of
     * {@code --server}, else of FULCRUM_SERVER, else of the local cluster found from {@code cwd}
     * or {@code home}, else 127.0.0.1:9001; the token of {@code --token} or {@code --token-file},
     * else FULCRUM_TOKEN, else the local cluster's, but only when the servers are the local
     * cluster's too (a local token is never sent to a server named explicitly). Opens nothing yet.
     */
    public static Connection open(ConnectionOptions options, Map<String, String> env, Path cwd, Path home) {
        Optional<LocalCluster> local = LocalCluster.find(cwd, home);
        boolean explicitServers = !options.servers().isEmpty() || env.containsKey("FULCRUM_SERVER");
        List<String> servers = !options.servers().isEmpty() ? options.servers()
                : env.containsKey("FULCRUM_SERVER") ? split(env.get("FULCRUM_SERVER"))
                : local.map(LocalCluster::servers).filter(s -> !s.isEmpty()).orElse(List.of("127.0.0.1:9001"));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("FULCRUM_SERVER is set but names no server (expected: HOST:PORT,...)");
        }
        String token = options.token != null ? options.token
                : options.tokenFile != null ? LocalCluster.tokenIn(options.tokenFile)
                : env.containsKey("FULCRUM_TOKEN") ? env.get("FULCRUM_TOKEN")
                : explicitServers ? null
                : local.map(LocalCluster::tokenFile).map(LocalCluster::tokenIn).orElse(null);
        return new Connection(servers, token, GrpcSetup.clientCredentials(options.tls(), options.tlsCa),
                options.timeoutSeconds());
    }

    private static List<String> split(String servers) {
        return Arrays.stream(servers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Runs {@code rpc} on the servers in turn (starting with the last one that answered) until one
     * does not answer UNAVAILABLE or "outcome unknown" (a leader that lost its leadership after
     * taking the write). Retrying a write elsewhere is safe because fctl's writes carry a request
     * id: the cluster applies a request id at most once, so a retry never applies a write twice.
     */
    public <T> T call(Function<Stubs, T> rpc) {
        StatusRuntimeException last = null;
        List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            int index = (preferred + i) % servers.size();
            try {
                T result = rpc.apply(stubs(servers.get(index)));
                preferred = index;
                return result;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE && !outcomeUnknown(e)) {
                    throw e;
                }
                last = e;
                failures.add(servers.get(index) + ": " + why(e));
            }
        }
        Status.Code code = outcomeUnknown(last) ? Status.Code.UNKNOWN : Status.Code.UNAVAILABLE;
        throw Status.fromCode(code).withDescription(String.join("; ", failures)).withCause(last).asRuntimeException();
    }

    /** The cluster took a write but cannot say whether it will be applied (Errors on the control plane). */
    private static boolean outcomeUnknown(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        return e.getStatus().getCode() == Status.Code.UNKNOWN && description != null && description.startsWith("outcome unknown");
    }

    /** {@code e} as UNAVAILABLE naming {@code server} and why, as {@link #call} reports it. */
    public static StatusRuntimeException unavailable(String server, StatusRuntimeException e) {
        return Status.UNAVAILABLE.withDescription(server + ": " + why(e)).withCause(e).asRuntimeException();
    }

    /** "connection refused" rather than gRPC's "io exception". */
    private static String why(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        Throwable cause = e.getStatus().getCause();
        if (cause != null && (description == null || description.equals("io exception"))) {
            return "cannot connect (" + cause.getMessage() + ")";
        }
        return description == null ? "unavailable" : description;
    }

    public Stubs stubs(String server) {
        ManagedChannel channel = channels.computeIfAbsent(server, s -> GrpcSetup.channel(s, credentials).build());
        return new Stubs(prepare(ConfigServiceGrpc.newBlockingStub(channel)), prepare(ClusterServiceGrpc.newBlockingStub(channel)),
                withToken(ConfigServiceGrpc.newStub(channel)), server);
    }

    private <S extends AbstractStub<S>> S prepare(S stub) {
        return withToken(stub).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    private <S extends AbstractStub<S>> S withToken(S stub) {
        if (token == null) {
            return stub;
        }
        return stub.withInterceptors(GrpcSetup.bearerInterceptor(token));
    }

    public List<String> servers() {
        return servers;
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
