package io.fulcrum.controlplane.api;

import io.fulcrum.proto.v1.AddMemberRequest;
import io.fulcrum.proto.v1.ClusterServiceGrpc;
import io.fulcrum.proto.v1.ForgetNodeRequest;
import io.fulcrum.proto.v1.ForgetNodeResponse;
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.HealthResponse;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.NodesResponse;
import io.fulcrum.proto.v1.MembershipResponse;
import io.fulcrum.proto.v1.RemoveMemberRequest;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.fulcrum.proto.v1.TransferLeaderRequest;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/** The gRPC ClusterService: an adapter over {@link ClusterOperations}. */
final class ClusterServiceImpl extends ClusterServiceGrpc.ClusterServiceImplBase {
    private final ClusterOperations operations;
    private final Executor waiter;
    private final Responder responder;
    private final NodeForgetting forgetting;

    ClusterServiceImpl(ClusterOperations operations, NodeForgetting forgetting, Executor waiter, Responder responder) {
        this.operations = operations;
        this.forgetting = forgetting;
        this.waiter = waiter;
        this.responder = responder;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        responder.respond(() -> operations.status(Principal.current()), observer);
    }

    @Override
    public void nodes(NodesRequest request, StreamObserver<NodesResponse> observer) {
        responder.respond(() -> operations.nodes(Principal.current()), observer);
    }

    @Override
    public void health(HealthRequest request, StreamObserver<HealthResponse> observer) {
        responder.respond(() -> operations.health(request, Principal.current()), observer);
    }

    @Override
    public void forgetNode(ForgetNodeRequest request, StreamObserver<ForgetNodeResponse> observer) {
        responder.respond(() -> forgetting.forget(request, Principal.current()), observer);
    }

    @Override
    public void addMember(AddMemberRequest request, StreamObserver<MembershipResponse> observer) {
        responder.respond(() -> operations.addMember(request, Principal.current()), observer);
    }

    @Override
    public void removeMember(RemoveMemberRequest request, StreamObserver<MembershipResponse> observer) {
        responder.respond(() -> operations.removeMember(request, Principal.current()), observer);
    }

    @Override
    public void transferLeader(TransferLeaderRequest request, StreamObserver<MembershipResponse> observer) {
        responder.respond(() -> operations.transferLeader(request, Principal.current(), waiter), observer);
    }
}
