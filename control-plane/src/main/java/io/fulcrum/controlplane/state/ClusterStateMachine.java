package io.fulcrum.controlplane.state;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fulcrum.config.ConfigException;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.controlplane.internal.Bootstrap;
import io.fulcrum.controlplane.internal.HistoryRecord;
import io.fulcrum.controlplane.internal.LogEntry;
import io.fulcrum.controlplane.internal.MemberInfo;
import io.fulcrum.controlplane.internal.NodeForgotten;
import io.fulcrum.controlplane.internal.ObservedUpdate;
import io.fulcrum.controlplane.internal.StateSnapshot;
import io.fulcrum.controlplane.raft.ReplicatedStateMachine;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.ConfigChanged;
import io.fulcrum.proto.v1.HealthTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated state of the control plane: the config model, the cluster identity, the members'
 * addresses and the recent request ids. Applies Raft log entries deterministically (same log, same
 * state on every member); the version of a config change is its Raft index.
 *
 * <p>Written only by the Raft apply thread; every read method is safe from any thread and sees a
 * consistent value.
 */
public final class ClusterStateMachine implements ReplicatedStateMachine {
    private static final Logger log = LoggerFactory.getLogger(ClusterStateMachine.class);

    private volatile ConfigModel model = ConfigModel.empty();
    private volatile Bootstrap bootstrap = Bootstrap.getDefaultInstance();
    private volatile Map<String, MemberInfo> members = Map.of();
    private volatile long appliedIndex;
    private final RequestLog requests = new RequestLog();
    private final ConfigHistory history = new ConfigHistory();
    private final ChangeHistory changes = new ChangeHistory();
    private final ObservedState observed = new ObservedState();
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private volatile LongConsumer leaderStartHook = term -> { };

    public ClusterStateMachine() {
        history.reset(model);
    }

    @Override
    public Object apply(byte[] bytes, long index) {
        LogEntry entry;
        try {
            entry = LogEntry.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt log entry at index " + index, e);
        }
        Object result = switch (entry.getEntryCase()) {
            case BATCH -> applyBatch(entry.getBatch(), index, entry.getProposedUnixMs());
            case BOOTSTRAP -> applyBootstrap(entry.getBootstrap());
            case MEMBER -> applyMember(entry.getMember());
            case MEMBER_REMOVED -> applyMemberRemoved(entry.getMemberRemoved().getId());
            case OBSERVED -> applyObserved(entry.getObserved());
            case NODE_FORGOTTEN -> applyNodeForgotten(entry.getNodeForgotten());
            case ENTRY_NOT_SET -> {
                log.warn("empty log entry at index {}", index);
                yield Boolean.FALSE;
            }
        };
        appliedIndex = index;
        return result;
    }

    private BatchOutcome applyBatch(Batch batch, long index, long unixMs) {
        Long earlier = batch.getRequestId().isEmpty() ? null : requests.versionOf(batch.getRequestId());
        if (earlier != null) {
            return BatchOutcome.duplicate(earlier);
        }
        ConfigModel.Applied applied;
        try {
            applied = model.apply(batch, index);
        } catch (ConfigException e) {
            return BatchOutcome.rejected(e);
        }
        model = applied.model();
        requests.remember(batch.getRequestId(), index);
        ConfigChanged event = ConfigChanged.newBuilder().setVersion(index).setPrincipal(batch.getPrincipal())
                .setComment(batch.getComment()).addAllChanges(applied.changes()).setCommittedUnixMs(unixMs).build();
        history.record(model, event);
        changes.record(HistoryRecord.newBuilder().setVersion(index).setCommittedUnixMs(unixMs).setBatch(batch)
                .addAllChanges(applied.changes()).build(), model);
        notifyListeners(event);
        return BatchOutcome.applied(index, applied.changes());
    }

    private Boolean applyBootstrap(Bootstrap proposed) {
        if (!bootstrap.getClusterId().isEmpty()) {
            return Boolean.FALSE;
        }
        bootstrap = proposed;
        model = model.withIdentity(proposed.getClusterId(), model.version());
        log.info("cluster {} bootstrapped", proposed.getClusterId());
        return Boolean.TRUE;
    }

    private Boolean applyMember(MemberInfo member) {
        Map<String, MemberInfo> updated = new LinkedHashMap<>(members);
        updated.put(member.getId(), member);
        members = Collections.unmodifiableMap(updated);
        return Boolean.TRUE;
    }

    private Boolean applyMemberRemoved(String id) {
        Map<String, MemberInfo> updated = new LinkedHashMap<>(members);
        boolean removed = updated.remove(id) != null;
        members = Collections.unmodifiableMap(updated);
        return removed;
    }

    private Boolean applyObserved(ObservedUpdate update) {
        observed.apply(update);
        List<HealthTransition> transitions = new ArrayList<>();
        update.getHealthList().forEach(h -> transitions.addAll(h.getTransitionsList()));
        if (!transitions.isEmpty()) {
            for (StateListener listener : listeners) {
                try {
                    listener.onHealthTransitions(transitions);
                } catch (RuntimeException e) {
                    log.warn("state listener failed", e);
                }
            }
        }
        if (update.getNodesCount() > 0) {
            notifyNodesObserved();
        }
        return Boolean.TRUE;
    }

    private void notifyNodesObserved() {
        for (StateListener listener : listeners) {
            try {
                listener.onNodesObserved();
            } catch (RuntimeException e) {
                log.warn("state listener failed", e);
            }
        }
    }

    private Boolean applyNodeForgotten(NodeForgotten forgotten) {
        boolean removed = observed.forget(forgotten.getNodeId(), forgotten.getLastSeenUnixMs());
        if (removed) {
            log.info("data plane {} forgotten ({})", forgotten.getNodeId(), forgotten.getBy());
            notifyNodesObserved();
        }
        return removed;
    }

    private void notifyListeners(ConfigChanged event) {
        for (StateListener listener : listeners) {
            try {
                listener.onConfigChanged(model, event);
            } catch (RuntimeException e) {
                log.warn("config listener failed", e);
            }
        }
    }

    @Override
    public byte[] snapshot() {
        return StateSnapshot.newBuilder().setConfig(model.toProto()).setBootstrap(bootstrap)
                .addAllMembers(members.values()).addAllRequests(requests.records()).setAppliedIndex(appliedIndex)
                .addAllNodes(observed.nodeList()).addAllHealth(observed.healthList())
                .setHistoryBase(changes.base()).addAllHistory(changes.records()).build().toByteArray();
    }

    @Override
    public void restore(byte[] bytes) {
        StateSnapshot snapshot;
        try {
            snapshot = StateSnapshot.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt snapshot", e);
        }
        model = ConfigModel.fromConfig(snapshot.getConfig());
        bootstrap = snapshot.getBootstrap();
        Map<String, MemberInfo> restored = new LinkedHashMap<>();
        snapshot.getMembersList().forEach(m -> restored.put(m.getId(), m));
        members = Collections.unmodifiableMap(restored);
        requests.restore(snapshot.getRequestsList());
        observed.restore(snapshot.getNodesList(), snapshot.getHealthList());
        appliedIndex = snapshot.getAppliedIndex();
        history.reset(model);
        changes.restore(snapshot.hasHistoryBase() ? ConfigModel.fromConfig(snapshot.getHistoryBase()) : model,
                snapshot.getHistoryList());
        for (StateListener listener : listeners) {
            listener.onConfigChanged(model, null);
        }
        log.info("state restored from snapshot at index {} (config version {})", appliedIndex, model.version());
    }

    @Override
    public void onLeaderStart(long term) {
        leaderStartHook.accept(term);
    }

    /** Runs {@code hook} on the apply thread whenever this member becomes leader (it must not block). */
    public void onLeaderStart(LongConsumer hook) {
        this.leaderStartHook = hook;
    }

    public void addListener(StateListener listener) {
        listeners.add(listener);
    }

    public void removeListener(StateListener listener) {
        listeners.remove(listener);
    }

    /** The config as of the last applied entry. */
    public ConfigModel model() {
        return model;
    }

    /** The cluster identity; empty until the first leader bootstrapped it. */
    public Bootstrap bootstrap() {
        return bootstrap;
    }

    /** The members' addresses by member id, in the order they were first announced. */
    public Map<String, MemberInfo> members() {
        return members;
    }

    public long appliedIndex() {
        return appliedIndex;
    }

    /** The version a batch with this request id was applied at, or null if none is remembered. */
    public Long versionOfRequest(String requestId) {
        return requests.versionOf(requestId);
    }

    public ConfigHistory history() {
        return history;
    }

    /** The retained, replicated history of config changes (survives snapshots and restarts). */
    public ChangeHistory changes() {
        return changes;
    }

    /** What the data-plane nodes reported (replicated, never part of the config). */
    public ObservedState observed() {
        return observed;
    }
}
