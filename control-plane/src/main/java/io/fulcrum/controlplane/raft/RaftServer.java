package io.fulcrum.controlplane.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.JRaftUtils;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcServerFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One member of the Raft group, wrapping SOFAJRaft: JRaft's option bags, {@code Status} and
 * closures stay in this package; callers see {@link CompletableFuture}s and our exceptions.
 *
 * <p>Futures fail with {@link NotLeaderException} when this member is not (or stopped being) the
 * leader and with {@link RaftFailedException} otherwise. Thread-safe.
 */
public final class RaftServer implements AutoCloseable {
    private static final byte[] NO_CONTEXT = new byte[0];

    private final RaftGroupService group;
    private final Node node;
    private final JraftStateMachine fsm;
    private final ContactTracker contacts;
    private final ScheduledExecutorService sampler;

    private RaftServer(RaftGroupService group, Node node, JraftStateMachine fsm) {
        this.group = group;
        this.node = node;
        this.fsm = fsm;
        this.contacts = new ContactTracker(node, () -> System.nanoTime() / 1_000_000);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fulcrum-raft-contacts");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(contacts::sample, 0, ContactTracker.SAMPLE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the member; its Raft transport listens on {@code raftAddress}'s host and port only.
     *
     * @throws RaftFailedException if it cannot start (nothing is left running)
     */
    public static RaftServer start(RaftSettings settings, ReplicatedStateMachine machine) {
        Path raftDir = settings.dataDir().resolve("raft");
        try {
            for (String dir : List.of("log", "meta", "snapshot")) {
                Files.createDirectories(raftDir.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + raftDir, e);
        }
        JraftStateMachine fsm = new JraftStateMachine(machine, settings.initialPeers());
        NodeOptions options = nodeOptions(settings, raftDir, fsm);
        PeerId self = parsePeer(settings.raftAddress());
        RaftGroupService group = new RaftGroupService(RaftSettings.GROUP, self, options, transport(self, options));
        Node node;
        try {
            node = group.start();
        } catch (RuntimeException e) {
            group.shutdown();
            throw new RaftFailedException("cannot start Raft on " + settings.raftAddress() + ": " + e.getMessage(), e);
        }
        if (node == null) {
            group.shutdown();
            throw new RaftFailedException("cannot start Raft on " + settings.raftAddress() + " (is the port in use?)");
        }
        return new RaftServer(group, node, fsm);
    }

    /**
     * What {@code new RaftGroupService(group, self, options)} builds, with one difference: JRaft's
     * factory gives bolt's server only the port, so it binds 0.0.0.0; this gives it the host too
     * (same options: connections managed, no sync stop; same executors).
     */
    private static RpcServer transport(PeerId self, NodeOptions options) {
        RpcServer server = new BoltRpcServer(new com.alipay.remoting.rpc.RpcServer(self.getIp(), self.getPort(), true));
        RaftRpcServerFactory.addRaftRequestProcessors(server,
                JRaftUtils.createExecutor("RAFT-RPC-executor-", options.getRaftRpcThreadPoolSize()),
                JRaftUtils.createExecutor("CLI-RPC-executor-", options.getCliRpcThreadPoolSize()));
        return server;
    }

    private static NodeOptions nodeOptions(RaftSettings settings, Path raftDir, JraftStateMachine fsm) {
        NodeOptions options = new NodeOptions();
        options.setElectionTimeoutMs(settings.electionTimeoutMs());
        options.setSnapshotIntervalSecs(settings.snapshotIntervalSecs());
        options.setFsm(fsm);
        options.setLogUri(raftDir.resolve("log").toString());
        options.setRaftMetaUri(raftDir.resolve("meta").toString());
        options.setSnapshotUri(raftDir.resolve("snapshot").toString());
        options.setSharedTimerPool(true);
        options.setSharedElectionTimer(true);
        options.setSharedVoteTimer(true);
        options.setSharedStepDownTimer(true);
        options.setSharedSnapshotTimer(true);
        Configuration initial = new Configuration();
        settings.initialPeers().forEach(peer -> initial.addPeer(parsePeer(peer)));
        options.setInitialConf(initial);
        RaftOptions raft = new RaftOptions();
        raft.setMaxElectionDelayMs(settings.maxElectionDelayMs());
        raft.setSync(settings.fsync());
        options.setRaftOptions(raft);
        return options;
    }

    private static PeerId parsePeer(String address) {
        PeerId peer = PeerId.parsePeer(address);
        if (peer == null) {
            throw new IllegalArgumentException("not a Raft address (HOST:PORT): " + address);
        }
        return peer;
    }

    /** Replicates {@code entry}; completes with what the state machine returned for it. */
    public CompletableFuture<Object> propose(byte[] entry) {
        ProposalClosure done = new ProposalClosure();
        node.apply(new Task(ByteBuffer.wrap(entry), done));
        return done.future;
    }

    /**
     * Completes once this member has applied everything committed before the call (ReadIndex):
     * a read of the state after that is linearizable.
     */
    public CompletableFuture<Long> readBarrier() {
        CompletableFuture<Long> future = new CompletableFuture<>();
        node.readIndex(NO_CONTEXT, new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                if (status.isOk()) {
                    future.complete(index);
                } else {
                    future.completeExceptionally(failure(status));
                }
            }
        });
        return future;
    }

    public boolean isLeader() {
        return node.isLeader();
    }

    /** host:port of the current leader's Raft transport, or null if none is known. */
    public String leaderAddress() {
        PeerId leader = node.getLeaderId();
        return leader == null || leader.isEmpty() ? null : leader.getEndpoint().toString();
    }

    public String address() {
        return node.getNodeId().getPeerId().getEndpoint().toString();
    }

    public MemberRole role() {
        return switch (node.getNodeState()) {
            case STATE_LEADER, STATE_TRANSFERRING -> MemberRole.LEADER;
            case STATE_CANDIDATE -> MemberRole.CANDIDATE;
            case STATE_FOLLOWER -> MemberRole.FOLLOWER;
            case STATE_UNINITIALIZED -> MemberRole.STARTING;
            default -> MemberRole.STOPPED;
        };
    }

    /** The latest term this member has seen as leader or follower (0 before any). */
    public long term() {
        return fsm.term();
    }

    public long commitIndex() {
        return node.getLastCommittedIndex();
    }

    public long appliedIndex() {
        return node.getLastAppliedLogIndex();
    }

    /**
     * host:port of every voting member: the leader's current configuration, or on other members
     * the last configuration they saw committed.
     */
    public List<String> peers() {
        if (node.isLeader()) {
            try {
                return node.listPeers().stream().map(p -> p.getEndpoint().toString()).toList();
            } catch (IllegalStateException lostLeadership) {
                return fsm.configuration();
            }
        }
        return fsm.configuration();
    }

    /**
     * On the leader, whether it hears from each voting member ({@link #peers()}, itself included);
     * null on any other member, which does not know. Sampled every 100 ms, so a member that
     * stopped answering shows as unreachable about 0.9 × the election timeout after its last answer.
     */
    public List<PeerReachability> reachability() {
        return contacts.reachability(peers());
    }

    public CompletableFuture<Void> addPeer(String raftAddress) {
        VoidClosure done = new VoidClosure();
        node.addPeer(parsePeer(raftAddress), done);
        return done.future;
    }

    public CompletableFuture<Void> removePeer(String raftAddress) {
        VoidClosure done = new VoidClosure();
        node.removePeer(parsePeer(raftAddress), done);
        return done.future;
    }

    /**
     * Asks this leader to hand leadership to {@code raftAddress} (null: the most up-to-date other
     * member). Returns once the transfer has started; the new leader takes over within an
     * election timeout.
     */
    public void transferLeadership(String raftAddress) {
        Status status = node.transferLeadershipTo(raftAddress == null ? PeerId.ANY_PEER : parsePeer(raftAddress));
        if (!status.isOk()) {
            throw failure(status);
        }
    }

    /** Takes a snapshot now (and truncates the log behind it). */
    public CompletableFuture<Void> snapshot() {
        VoidClosure done = new VoidClosure();
        node.snapshot(done);
        return done.future;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        group.shutdown();
        try {
            group.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Why a proposal failed. JRaft answers both "Is not leader." (refused before it reached the
     * log: safe to retry) and "Leader stepped down" (the entry was in the log when leadership was
     * lost: the next leader may still commit it) with EPERM; only the first is a NotLeaderException.
     */
    RuntimeException proposalFailure(Status status) {
        String message = status.getErrorMsg() == null ? "" : status.getErrorMsg();
        if (status.getRaftError() == RaftError.EPERM && message.contains("stepped down")) {
            return new OutcomeUnknownException("the leader lost its leadership (" + message + ") after the change was "
                    + "proposed: it may or may not be applied");
        }
        return failure(status);
    }

    RuntimeException failure(Status status) {
        if (status.getRaftError() == RaftError.EPERM) {
            return new NotLeaderException(leaderAddress(), "not the leader: " + status.getErrorMsg());
        }
        return new RaftFailedException(status.getErrorMsg() == null ? status.toString() : status.getErrorMsg());
    }

    /** Completes its future with the result the state machine left in it. */
    final class ProposalClosure implements Closure {
        final CompletableFuture<Object> future = new CompletableFuture<>();
        volatile Object result;

        @Override
        public void run(Status status) {
            if (status.isOk()) {
                future.complete(result);
            } else {
                future.completeExceptionally(proposalFailure(status));
            }
        }
    }

    private final class VoidClosure implements Closure {
        final CompletableFuture<Void> future = new CompletableFuture<>();

        @Override
        public void run(Status status) {
            if (status.isOk()) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure(status));
            }
        }
    }
}
