package io.fulcrum.controlplane.api;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.Action;
import io.fulcrum.config.command.Command;
import io.fulcrum.config.command.Help;
import io.fulcrum.config.command.HelpRequest;
import io.fulcrum.config.command.Queries;
import io.fulcrum.config.command.Script;
import io.fulcrum.config.command.ServerHealthView;
import io.fulcrum.config.command.SourceStateView;
import io.fulcrum.config.command.Statement;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.DiscoveryRules;
import io.fulcrum.config.model.Target;
import io.fulcrum.config.model.ValidationException;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.BatchOutcome;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.ApplyResponse;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.ListResponse;
import io.fulcrum.proto.v1.ReadConsistency;
import io.fulcrum.proto.v1.ResourceKind;
import io.fulcrum.proto.v1.ServerGroup;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The config operations behind the gRPC ConfigService and the RESP endpoint. Writes go through the
 * leader (a follower forwards them); reads are linearizable unless the request asks for a local
 * read. Every future fails with an exception {@link Errors} knows how to map. Thread-safe.
 */
public final class ConfigOperations {
    /**
     * Largest serialized batch: one log entry that every member writes, replicates and applies in
     * one go (a 10,000-server config written in one batch is about 1 MB).
     */
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    static final long COMMIT_TIMEOUT_SECONDS = 10;
    private static final Principal DISCOVERY = new Principal(DiscoveryRules.PRINCIPAL, Role.OPERATOR);

    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final LeaderLink leader;
    private final ServerHealthView health;
    private final Clock clock;
    private volatile SourceStateView sources = SourceStateView.NONE;

    ConfigOperations(RaftServer raft, ClusterStateMachine state, LeaderLink leader, ServerHealthView health, Clock clock) {
        this.raft = raft;
        this.state = state;
        this.leader = leader;
        this.health = health;
        this.clock = clock;
    }

    /** Runs command-language text: a query answers from a read, a change commits one batch. */
    public CompletableFuture<ExecResponse> exec(ExecRequest request, Principal caller) {
        Script script = Script.parse(request.getText());
        Statement question = script.question();
        if (question instanceof HelpRequest help) {
            return CompletableFuture.completedFuture(ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_TEXT)
                    .addAllLines(Help.text(help)).setVersion(state.model().version()).build());
        }
        if (question instanceof Command query) {
            caller.requireRead();
            if (showsDiscoveredSources(query, request, caller)) {
                try {
                    return LeaderLink.<ExecResponse>unary(o -> leader.config(caller).exec(request, o))
                            .exceptionallyCompose(unreachable -> query(query, request));
                } catch (NotLeaderException noLeader) {
                    // no leader to ask: answered here, the sources' state unknown
                }
            }
            return query(query, request);
        }
        caller.requireWrite("change the config");
        Batch batch = script.toBatch().toBuilder().setExpectedVersion(request.getExpectedVersion())
                .setRequestId(request.getRequestId()).setComment(request.getComment()).setCommandText(request.getText()).build();
        if (!raft.isLeader()) {
            return LeaderLink.<ExecResponse>unary(o -> leader.config(caller).exec(request, o));
        }
        CompletableFuture<BatchOutcome> committed;
        try {
            committed = commit(batch, caller);
        } catch (ValidationException e) {
            throw script.locate(e);
        }
        return committed.handle((outcome, failure) -> {
            if (failure != null) {
                Throwable cause = Errors.unwrap(failure);
                throw new java.util.concurrent.CompletionException(cause instanceof ValidationException v ? script.locate(v) : cause);
            }
            return ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_OK).addLines("OK")
                    .setVersion(outcome.version()).build();
        });
    }

    /** Applies a typed batch, or validates it and returns the diff when dry_run is set. */
    public CompletableFuture<ApplyResponse> apply(ApplyRequest request, Principal caller) {
        caller.requireWrite("change the config");
        if (request.getDryRun()) {
            return read(ReadConsistency.READ_CONSISTENCY_LINEARIZABLE, 0).thenApply(model -> {
                ConfigModel.Applied applied = model.apply(request.getBatch(), model.version() + 1);
                return ApplyResponse.newBuilder().setDryRun(true).setVersion(model.version())
                        .addAllChanges(applied.changes()).build();
            });
        }
        if (!raft.isLeader()) {
            return LeaderLink.<ApplyResponse>unary(o -> leader.config(caller).apply(request, o));
        }
        return commit(request.getBatch(), caller).thenApply(outcome -> ApplyResponse.newBuilder()
                .setVersion(outcome.version()).addAllChanges(outcome.changes()).build());
    }

    private CompletableFuture<ExecResponse> query(Command query, ExecRequest request) {
        return read(request.getConsistency(), 0).thenApply(model -> Queries.run(query, model, health, sources));
    }

    /**
     * True when a follower should let the leader answer: {@code list-detail server-group} while some
     * group is discovered, because only the leader knows the sources' state. A local read and a call
     * forwarded once already are answered here, as is any when the leader cannot be reached (the
     * state then reads unknown).
     */
    private boolean showsDiscoveredSources(Command query, ExecRequest request, Principal caller) {
        return query.spec().kind() == Kind.SERVER_GROUP && query.spec().action() == Action.LIST_DETAIL
                && !raft.isLeader() && caller.role() != Role.PEER
                && request.getConsistency() != ReadConsistency.READ_CONSISTENCY_LOCAL
                && state.model().list(Kind.SERVER_GROUP).stream()
                        .anyMatch(g -> !((ServerGroup) g).getDiscovery().isEmpty());
    }

    /** Where {@code list-detail server-group} finds the state of discovered groups' sources. */
    public void showSources(SourceStateView view) {
        this.sources = view;
    }

    /**
     * Commits a batch of discovery (the only principal that may change a discovered group's
     * servers) through Raft on this member, which must be the leader.
     *
     * @return fails with {@link ValidationException} when the model refuses it, with
     *         {@link NotLeaderException} when this member does not lead
     */
    public CompletableFuture<BatchOutcome> commitDiscovered(Batch batch) {
        if (!raft.isLeader()) {
            return CompletableFuture.failedFuture(new NotLeaderException(raft.leaderAddress(), "not the leader"));
        }
        try {
            return commit(batch, DISCOVERY);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Commits a batch through Raft on this member, which must be the leader. Checks it against the
     * current model first so an invalid batch never reaches the log; the state machine checks it
     * again when it applies it (the model may have moved in between).
     */
    CompletableFuture<BatchOutcome> commit(Batch batch, Principal caller) {
        if (caller != DISCOVERY && caller.name().equals(DiscoveryRules.PRINCIPAL)) {
            throw new PermissionDeniedException("the name " + DiscoveryRules.PRINCIPAL
                    + " is reserved for discovery; give this token another name in the auth file");
        }
        Batch stamped = batch.toBuilder().setPrincipal(caller.name()).build();
        if (stamped.getSerializedSize() > MAX_BATCH_BYTES) {
            throw new InvalidRequestException(String.format(java.util.Locale.ROOT,
                    "a change of %.1f MiB is larger than the %d MiB one change may be (it is one Raft log entry, "
                            + "replicated and applied at once); split it into several batches",
                    stamped.getSerializedSize() / 1048576.0, MAX_BATCH_BYTES >> 20));
        }
        if (!stamped.getRequestId().isEmpty()) {
            Long earlier = state.versionOfRequest(stamped.getRequestId());
            if (earlier != null) {
                return CompletableFuture.completedFuture(new BatchOutcome(earlier, java.util.List.of(), true, null));
            }
        }
        ConfigModel current = state.model();
        current.apply(stamped, current.version() + 1);
        byte[] entry = LogEntry.newBuilder().setBatch(stamped).setProposedUnixMs(clock.millis()).build().toByteArray();
        return raft.propose(entry).orTimeout(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(result -> {
            BatchOutcome outcome = (BatchOutcome) result;
            if (outcome.rejected()) {
                throw outcome.error();
            }
            return outcome;
        });
    }

    public CompletableFuture<GetResponse> get(GetRequest request, Principal caller) {
        caller.requireRead();
        return read(request.getConsistency(), request.getAtVersion()).thenApply(model -> {
            GetResponse.Builder response = GetResponse.newBuilder().setVersion(model.version());
            if (!request.hasRef() || request.getRef().getKind() == ResourceKind.RESOURCE_KIND_UNSPECIFIED) {
                return response.setConfig(model.toProto()).build();
            }
            Kind kind = kindOf(request.getRef().getKind());
            String parent = kind.isNested() ? request.getRef().getParent() : null;
            Message resource = model.find(kind, parent, request.getRef().getName()).orElseThrow(() ->
                    new ValidationException(ConfigException.Reason.NOT_FOUND, "Cannot find " + kind.word() + " with name "
                            + request.getRef().getName() + (parent == null ? "" : " in " + kind.parent().word() + " " + parent)));
            return response.setResource(new Target(kind, parent, resource).toResource()).build();
        });
    }

    public CompletableFuture<ListResponse> list(ListRequest request, Principal caller) {
        caller.requireRead();
        Kind kind = kindOf(request.getKind());
        return read(request.getConsistency(), request.getAtVersion()).thenApply(model -> {
            ListResponse.Builder response = ListResponse.newBuilder().setVersion(model.version());
            String parent = kind.isNested() ? request.getParent() : null;
            for (Message resource : kind.isNested() ? model.list(kind, parent) : model.list(kind)) {
                response.addResources(new Target(kind, parent, resource).toResource());
            }
            return response.build();
        });
    }

    /**
     * The model to read: after a ReadIndex barrier unless {@code consistency} is local; at
     * {@code atVersion} if it is not 0.
     */
    CompletableFuture<ConfigModel> read(ReadConsistency consistency, long atVersion) {
        CompletableFuture<?> barrier = consistency == ReadConsistency.READ_CONSISTENCY_LOCAL
                ? CompletableFuture.completedFuture(null)
                : raft.readBarrier().orTimeout(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return barrier.thenApply(ignored -> {
            ConfigModel current = state.model();
            if (atVersion == 0 || atVersion == current.version()) {
                return current;
            }
            ConfigModel past = state.history().at(atVersion);
            // older than the models in memory: rebuilt from the retained history (NOT_FOUND past it)
            return past != null ? past : state.changes().configAt(atVersion, current);
        });
    }

    private static Kind kindOf(ResourceKind kind) {
        if (kind == ResourceKind.RESOURCE_KIND_UNSPECIFIED || kind == ResourceKind.UNRECOGNIZED) {
            throw new InvalidRequestException("a resource kind is required, e.g. RESOURCE_KIND_SERVER_GROUP");
        }
        return Kind.of(kind);
    }

    /** True if this member is the leader; otherwise whom to ask. */
    void requireLeader() {
        if (!raft.isLeader()) {
            throw new NotLeaderException(raft.leaderAddress(), "not the leader");
        }
    }
}
