package io.fulcrum.controlplane.api;

import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.ApplyResponse;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.ConfigServiceGrpc;
import io.fulcrum.proto.v1.DiffRequest;
import io.fulcrum.proto.v1.DiffResponse;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.HistoryResponse;
import io.fulcrum.proto.v1.RollbackRequest;
import io.fulcrum.proto.v1.RollbackResponse;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.ListResponse;
import io.fulcrum.proto.v1.WatchEvent;
import io.fulcrum.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** The gRPC ConfigService: an adapter over {@link ConfigOperations}, plus Watch. */
final class ConfigServiceImpl extends ConfigServiceGrpc.ConfigServiceImplBase {
    private final ConfigOperations operations;
    private final HistoryOperations history;
    private final ClusterStateMachine state;
    private final Errors errors;
    private final Responder responder;

    ConfigServiceImpl(ConfigOperations operations, HistoryOperations history, ClusterStateMachine state, Errors errors) {
        this.operations = operations;
        this.history = history;
        this.state = state;
        this.errors = errors;
        this.responder = new Responder(errors);
    }

    @Override
    public void exec(ExecRequest request, StreamObserver<ExecResponse> observer) {
        responder.respond(() -> operations.exec(request, Principal.current()), observer);
    }

    @Override
    public void apply(ApplyRequest request, StreamObserver<ApplyResponse> observer) {
        responder.respond(() -> operations.apply(request, Principal.current()), observer);
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> observer) {
        responder.respond(() -> operations.get(request, Principal.current()), observer);
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> observer) {
        responder.respond(() -> operations.list(request, Principal.current()), observer);
    }

    @Override
    public void history(HistoryRequest request, StreamObserver<HistoryResponse> observer) {
        responder.respond(() -> history.history(request, Principal.current()), observer);
    }

    @Override
    public void diff(DiffRequest request, StreamObserver<DiffResponse> observer) {
        responder.respond(() -> history.diff(request, Principal.current()), observer);
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> observer) {
        responder.respond(() -> history.rollback(request, Principal.current()), observer);
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> observer) {
        try {
            Principal.current().requireRead();
        } catch (PermissionDeniedException e) {
            observer.onError(errors.toStatus(e));
            return;
        }
        ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) observer;
        WatchStream stream = new WatchStream(call, request.getIncludeHealth());
        state.addListener(stream);
        call.setOnCancelHandler(() -> {
            state.removeListener(stream);
            stream.close();
        });
        long current = state.model().version();
        List<ConfigChanged> history = request.getFromVersion() == 0 ? List.of() : state.history().since(request.getFromVersion());
        if (history == null) {
            state.removeListener(stream);
            observer.onError(Status.FAILED_PRECONDITION.withDescription("the changes after version "
                    + request.getFromVersion() + " are no longer held by this node (it holds "
                    + state.history().heldVersions() + "); read the config with Get and watch from its version")
                    .asRuntimeException());
            return;
        }
        stream.prime(history, request.getFromVersion() == 0 ? current : request.getFromVersion());
    }
}
