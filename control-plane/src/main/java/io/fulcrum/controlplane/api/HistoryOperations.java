package io.fulcrum.controlplane.api;

import io.fulcrum.config.model.ConfigDiff;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.internal.HistoryRecord;
import io.fulcrum.controlplane.raft.RaftServer;
import io.fulcrum.controlplane.state.ChangeHistory;
import io.fulcrum.controlplane.state.ClusterStateMachine;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.DiffRequest;
import io.fulcrum.proto.v1.DiffResponse;
import io.fulcrum.proto.v1.HistoryEntry;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.HistoryResponse;
import io.fulcrum.proto.v1.ReadConsistency;
import io.fulcrum.proto.v1.ResourceKind;
import io.fulcrum.proto.v1.RollbackRequest;
import io.fulcrum.proto.v1.RollbackResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * History, diff and rollback over the replicated {@link ChangeHistory}. Reads are linearizable
 * unless asked otherwise; a rollback is computed and committed on the leader (a follower forwards
 * it) as one compare-and-set batch against the version it was computed from. Thread-safe.
 */
public final class HistoryOperations {
    private final ConfigOperations config;
    private final RaftServer raft;
    private final ClusterStateMachine state;
    private final LeaderLink leader;

    HistoryOperations(ConfigOperations config, RaftServer raft, ClusterStateMachine state, LeaderLink leader) {
        this.config = config;
        this.raft = raft;
        this.state = state;
        this.leader = leader;
    }

    /** The retained changes, newest first, filtered by kind and name (linearizable unless asked otherwise). */
    public CompletableFuture<HistoryResponse> history(HistoryRequest request, Principal caller) {
        caller.requireRead();
        return config.read(request.getConsistency(), 0).thenApply(current -> {
            List<HistoryRecord> records = state.changes().records();
            HistoryResponse.Builder response = HistoryResponse.newBuilder().setCurrentVersion(current.version())
                    .setOldestVersion(state.changes().oldestVersion());
            int limit = request.getLimit() > 0 ? request.getLimit() : Integer.MAX_VALUE;
            for (int i = records.size() - 1; i >= 0 && response.getEntriesCount() < limit; i--) {
                HistoryRecord record = records.get(i);
                if (record.getVersion() <= current.version() && touches(record, request.getKind(), request.getName())) {
                    response.addEntries(entry(record));
                }
            }
            return response.build();
        });
    }

    private static boolean touches(HistoryRecord record, ResourceKind kind, String name) {
        if (kind == ResourceKind.RESOURCE_KIND_UNSPECIFIED) {
            return true;
        }
        for (Change change : record.getChangesList()) {
            boolean sameName = name.isEmpty() || change.getName().equals(name) || change.getParent().equals(name);
            if (change.getResourceKind() == kind && sameName) {
                return true;
            }
        }
        return false;
    }

    static HistoryEntry entry(HistoryRecord record) {
        Batch batch = record.getBatch();
        return HistoryEntry.newBuilder().setVersion(record.getVersion()).setPrincipal(batch.getPrincipal())
                .setCommittedUnixMs(record.getCommittedUnixMs()).setRequestId(batch.getRequestId())
                .setComment(batch.getComment()).setCommandText(batch.getCommandText())
                .addAllChanges(record.getChangesList()).build();
    }

    CompletableFuture<DiffResponse> diff(DiffRequest request, Principal caller) {
        caller.requireRead();
        return config.read(request.getConsistency(), 0).thenApply(current -> {
            long to = request.getToVersion() == 0 ? current.version() : request.getToVersion();
            ConfigModel from = state.changes().configAt(request.getFromVersion(), current);
            ConfigModel target = state.changes().configAt(to, current);
            ConfigDiff.Plan plan = ConfigDiff.plan(from.toProto(), target.toProto(), true);
            return DiffResponse.newBuilder().setFromVersion(request.getFromVersion()).setToVersion(to)
                    .addAllCommands(plan.mutations().stream().map(ScriptWriter::line).toList())
                    .setFromConfig(from.toProto()).setToConfig(target.toProto()).build();
        });
    }

    CompletableFuture<RollbackResponse> rollback(RollbackRequest request, Principal caller) {
        caller.requireWrite("roll the config back");
        if (!raft.isLeader()) {
            return LeaderLink.<RollbackResponse>unary(o -> leader.config(caller).rollback(request, o));
        }
        return config.read(ReadConsistency.READ_CONSISTENCY_LINEARIZABLE, 0).thenCompose(current -> {
            ConfigModel target = state.changes().configAt(request.getVersion(), current);
            ConfigDiff.Plan plan = ConfigDiff.plan(current.toProto(), target.toProto(), true);
            RollbackResponse.Builder response = RollbackResponse.newBuilder().setRolledBackTo(request.getVersion())
                    .setDryRun(request.getDryRun()).setVersion(current.version());
            if (plan.changesNothing()) {
                return CompletableFuture.completedFuture(response.build());
            }
            String comment = request.getComment().isEmpty() ? "rollback to version " + request.getVersion() : request.getComment();
            Batch batch = Batch.newBuilder().addAllMutations(plan.mutations()).setExpectedVersion(current.version())
                    .setRequestId(request.getRequestId()).setComment(comment)
                    .setCommandText("rollback " + request.getVersion()).build();
            if (request.getDryRun()) {
                List<Change> changes = current.apply(batch, current.version() + 1).changes();
                return CompletableFuture.completedFuture(response.addAllChanges(changes).build());
            }
            return config.commit(batch, caller).thenApply(outcome ->
                    response.setVersion(outcome.version()).addAllChanges(outcome.changes()).build());
        });
    }
}
