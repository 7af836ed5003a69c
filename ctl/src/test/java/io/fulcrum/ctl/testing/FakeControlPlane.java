package io.fulcrum.ctl.testing;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.command.ServerHealthView;
import io.fulcrum.config.model.ConfigDiff;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.config.model.ValidationException;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.ServerConnections;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.DiffRequest;
import io.fulcrum.proto.v1.DiffResponse;
import io.fulcrum.proto.v1.HistoryEntry;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.HistoryResponse;
import io.fulcrum.proto.v1.RollbackRequest;
import io.fulcrum.proto.v1.RollbackResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import io.fulcrum.config.rpc.GrpcSetup;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.ApplyResponse;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.ForgetNodeRequest;
import io.fulcrum.proto.v1.ForgetNodeResponse;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.fulcrum.proto.v1.Member;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.NodesResponse;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.fulcrum.proto.v1.SyncState;
import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.VrrpState;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A control plane for fctl's tests, on a real socket on 127.0.0.1: the config services run the
 * command language on an in-memory model (the config module's {@link Interpreter}), the cluster
 * services answer with fixed members and nodes (with VIPs in the model, dp1 holds them and dp2 is their stale backup). Every call is recorded with the token it carried.
 * {@code "hang"} anywhere in an Exec text is never answered (for --timeout); a watch sends one batch of
 * five changes and two health transitions, then stays open.
 */
public final class FakeControlPlane implements AutoCloseable {
    /** One call: its method and the bearer token it carried (null: none). */
    public record Call(String method, String token) {
    }

    private static final Context.Key<String> TOKEN = Context.key("token");

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private ConfigModel model = ConfigModel.empty();
    private final Map<Long, ConfigModel> versions = new HashMap<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private long drainedAt;
    private long nodesCalls;
    private final Server server;

    /** @param answers false: every call is left unanswered (for --timeout) */
    public FakeControlPlane(boolean answers) throws IOException {
        ServerInterceptor record = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String header = headers.get(GrpcSetup.AUTHORIZATION);
                String token = header == null ? null : header.substring("Bearer ".length());
                calls.add(new Call(call.getMethodDescriptor().getBareMethodName(), token));
                if (!answers) {
                    return new ServerCall.Listener<>() { };
                }
                return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
                .addService(ServerInterceptors.intercept(new ConfigImpl(), record))
                .addService(ServerInterceptors.intercept(new ClusterImpl(), record))
                .build().start();
    }

    /** HOST:PORT of the API. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Runs command-language text on the model directly (test setup). */
    public void exec(String text) {
        run(text);
    }

    private synchronized ExecResponse run(String text) {
        Interpreter interpreter = new Interpreter(model, ServerHealthView.NONE);
        ExecResponse reply = interpreter.exec(text);
        remember(interpreter.model(), text, "");
        return reply;
    }

    /** Keeps every version (the fake's history is unbounded; versions below 1 are not held). */
    private void remember(ConfigModel next, String text, String comment) {
        if (next.version() != model.version()) {
            versions.put(next.version(), next);
            history.add(0, HistoryEntry.newBuilder().setVersion(next.version()).setPrincipal("operator")
                    .setCommittedUnixMs(1_700_000_000_000L).setRequestId("req-" + next.version()).setComment(comment)
                    .setCommandText(text).build());
        }
        model = next;
    }

    private synchronized ConfigModel at(long version) {
        ConfigModel held = version == 0 ? model : versions.get(version);
        if (held == null) {
            throw new ValidationException(ConfigException.Reason.NOT_FOUND, "version " + version
                    + " is older than the retained history, which starts at version 1");
        }
        return held;
    }

    private synchronized RollbackResponse rollback(RollbackRequest request) {
        ConfigDiff.Plan plan = ConfigDiff.plan(model.toProto(), at(request.getVersion()).toProto(), true);
        RollbackResponse.Builder response = RollbackResponse.newBuilder().setRolledBackTo(request.getVersion())
                .setDryRun(request.getDryRun());
        if (plan.changesNothing()) {
            return response.setVersion(model.version()).build();
        }
        ConfigModel.Applied applied = model.apply(Batch.newBuilder().addAllMutations(plan.mutations()).build(), model.version() + 1);
        if (!request.getDryRun()) {
            remember(applied.model(), "rollback " + request.getVersion(), "rollback to version " + request.getVersion());
        }
        return response.setVersion(model.version()).addAllChanges(applied.changes()).build();
    }

    private synchronized ConfigModel model() {
        return model;
    }

    private synchronized ApplyResponse apply(ApplyRequest request) {
        long version = model.version();
        if (!request.getDryRun()) {
            remember(model.apply(request.getBatch(), version + 1).model(), "", request.getBatch().getComment());
        }
        return ApplyResponse.newBuilder().setVersion(model.version()).setDryRun(request.getDryRun()).build();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static Status status(ConfigException e) {
        return switch (e.reason()) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
        };
    }

    private final class ConfigImpl extends ConfigServiceGrpc.ConfigServiceImplBase {
        @Override
        public void exec(ExecRequest request, StreamObserver<ExecResponse> response) {
            if (request.getText().contains("hang")) {
                return;
            }
            try {
                response.onNext(run(request.getText()));
                response.onCompleted();
            } catch (ConfigException e) {
                response.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void get(GetRequest request, StreamObserver<GetResponse> response) {
            ConfigModel model = model();
            response.onNext(GetResponse.newBuilder().setVersion(model.version()).setConfig(model.toProto()).build());
            response.onCompleted();
        }

        @Override
        public void apply(ApplyRequest request, StreamObserver<ApplyResponse> response) {
            try {
                response.onNext(FakeControlPlane.this.apply(request));
                response.onCompleted();
            } catch (ConfigException e) {
                response.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void history(HistoryRequest request, StreamObserver<HistoryResponse> response) {
            List<HistoryEntry> entries;
            synchronized (FakeControlPlane.this) {
                entries = List.copyOf(history);
            }
            int limit = request.getLimit() == 0 ? entries.size() : Math.min(request.getLimit(), entries.size());
            response.onNext(HistoryResponse.newBuilder().setCurrentVersion(model().version()).setOldestVersion(1)
                    .addAllEntries(entries.subList(0, limit)).build());
            response.onCompleted();
        }

        @Override
        public void diff(DiffRequest request, StreamObserver<DiffResponse> response) {
            try {
                ConfigModel from = at(request.getFromVersion());
                ConfigModel to = at(request.getToVersion());
                ConfigDiff.Plan plan = ConfigDiff.plan(from.toProto(), to.toProto(), true);
                response.onNext(DiffResponse.newBuilder().setFromVersion(from.version()).setToVersion(to.version())
                        .addAllCommands(plan.mutations().stream().map(ScriptWriter::line).toList())
                        .setFromConfig(from.toProto()).setToConfig(to.toProto()).build());
                response.onCompleted();
            } catch (ConfigException e) {
                response.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> response) {
            try {
                response.onNext(FakeControlPlane.this.rollback(request));
                response.onCompleted();
            } catch (ConfigException e) {
                response.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
            }
        }

        @Override
        public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
            ConfigChanged.Builder batch = ConfigChanged.newBuilder().setVersion(9).setPrincipal("operator");
            for (int i = 1; i <= 5; i++) {
                batch.addChanges(Change.newBuilder().setCommand("add upstream u" + i));
            }
            response.onNext(WatchEvent.newBuilder().setConfigChanged(batch).build());
            response.onNext(WatchEvent.newBuilder().setConfigChanged(ConfigChanged.newBuilder().setVersion(10)
                    .setPrincipal("operator").addChanges(Change.newBuilder().setCommand("add upstream u6"))).build());
        }
    }

    private final class ClusterImpl extends ClusterServiceGrpc.ClusterServiceImplBase {
        @Override
        public void status(StatusRequest request, StreamObserver<StatusResponse> response) {
            response.onNext(StatusResponse.newBuilder().setClusterId("fake-cluster").setNodeId("cp1").setLeaderId("cp1")
                    .setTerm(3).setCommitIndex(12).setAppliedIndex(12).setConfigVersion(model().version()).setRole("LEADER")
                    .addMembers(Member.newBuilder().setId("cp1").setRaftAddress("127.0.0.1:7001").setApiAddress(address())
                            .setLeader(true)).build());
            response.onCompleted();
        }

        @Override
        public void forgetNode(ForgetNodeRequest request, StreamObserver<ForgetNodeResponse> response) {
            if (!request.getNodeId().equals("gone")) {
                response.onError(Status.NOT_FOUND.withDescription("no data plane " + request.getNodeId()).asRuntimeException());
                return;
            }
            response.onNext(ForgetNodeResponse.newBuilder().setForgotten(DataPlaneNode.newBuilder().setNodeId("gone")
                    .setState(SyncState.SYNC_STATE_DISCONNECTED).setConnectedTo("cp1")).build());
            response.onCompleted();
        }

        @Override
        public void nodes(NodesRequest request, StreamObserver<NodesResponse> response) {
            NodesResponse.Builder nodes = NodesResponse.newBuilder().setConfigVersion(model().version())
                    .addNodes(DataPlaneNode.newBuilder().setNodeId("dp1").setState(SyncState.SYNC_STATE_SYNCED)
                            .setAppliedVersion(model().version()).setConnectedTo("cp1")
                            .setLastSeenUnixMs(System.currentTimeMillis()).addAllVips(roles(VrrpState.VRRP_STATE_MASTER, false))
                            .addAllDrainedServers(drained()));
            if (!model().toProto().getVipsList().isEmpty()) {
                // with VIPs, a second node that is their stale backup
                nodes.addNodes(DataPlaneNode.newBuilder().setNodeId("dp2").setState(SyncState.SYNC_STATE_NACKED)
                        .setAppliedVersion(model().version() - 1).setConnectedTo("cp1")
                        .setLastSeenUnixMs(System.currentTimeMillis()).addAllVips(roles(VrrpState.VRRP_STATE_BACKUP, true)));
            }
            response.onNext(nodes.build());
            response.onCompleted();
        }

        /** Each drained server: 2 open connections, one fewer on each Nodes call of the same version. */
        private List<ServerConnections> drained() {
            synchronized (FakeControlPlane.this) {
                if (drainedAt != model.version()) {
                    drainedAt = model.version();
                    nodesCalls = 0;
                }
                long open = Math.max(0, 2 - nodesCalls++);
                List<ServerConnections> drained = new ArrayList<>();
                for (ServerGroup group : model.toProto().getServerGroupsList()) {
                    group.getServersList().stream().filter(io.fulcrum.proto.v1.Server::getDrain).forEach(s -> drained.add(ServerConnections.newBuilder()
                            .setServerGroup(group.getName()).setServer(s.getName()).setOpenConnections(open).build()));
                }
                return drained;
            }
        }

        private List<VipStatus> roles(VrrpState state, boolean stale) {
            return model().toProto().getVipsList().stream().map(v -> VipStatus.newBuilder().setVip(v.getName()).setState(state)
                    .setStale(stale).setPriority(200).build()).toList();
        }
    }
}
