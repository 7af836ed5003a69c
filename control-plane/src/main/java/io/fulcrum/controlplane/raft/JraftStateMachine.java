package io.fulcrum.controlplane.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adapts JRaft's state-machine callbacks to our {@link ReplicatedStateMachine}. */
final class JraftStateMachine extends StateMachineAdapter {
    private static final Logger log = LoggerFactory.getLogger(JraftStateMachine.class);
    private static final String SNAPSHOT_FILE = "state.pb";

    private final ReplicatedStateMachine machine;
    private volatile long term;
    private volatile List<String> configuration;

    JraftStateMachine(ReplicatedStateMachine machine, List<String> initialConfiguration) {
        this.machine = machine;
        this.configuration = List.copyOf(initialConfiguration);
    }

    /** The last committed Raft configuration this member knows (followers learn it from the log). */
    List<String> configuration() {
        return configuration;
    }

    @Override
    public void onConfigurationCommitted(Configuration conf) {
        configuration = conf.getPeers().stream().map(p -> p.getEndpoint().toString()).toList();
    }

    long term() {
        return term;
    }

    @Override
    public void onApply(Iterator iter) {
        while (iter.hasNext()) {
            Closure done = iter.done();
            Object result;
            try {
                result = machine.apply(bytes(iter.getData()), iter.getIndex());
            } catch (RuntimeException e) {
                // a deterministic machine never throws; if it does, stop rather than diverge
                log.error("state machine failed on entry {}; this member stops applying", iter.getIndex(), e);
                iter.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, "state machine failed: %s", e));
                return;
            }
            if (done instanceof RaftServer.ProposalClosure proposal) {
                proposal.result = result;
            }
            if (done != null) {
                done.run(Status.OK());
            }
            iter.next();
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        // JRaft shares this buffer with the replicators that still have to send the entry to
        // lagging followers: read a duplicate, never move the shared buffer's position
        ByteBuffer view = data.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        try {
            Files.write(Path.of(writer.getPath(), SNAPSHOT_FILE), machine.snapshot());
            if (!writer.addFile(SNAPSHOT_FILE)) {
                done.run(new Status(RaftError.EIO, "cannot add the snapshot file"));
                return;
            }
            done.run(Status.OK());
        } catch (IOException e) {
            // JRaft's Status holds only text: the stack goes to the log
            log.error("cannot write the snapshot into {}", writer.getPath(), e);
            done.run(new Status(RaftError.EIO, "cannot write the snapshot: %s", e.toString()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        Path file = Path.of(reader.getPath(), SNAPSHOT_FILE);
        try {
            machine.restore(Files.readAllBytes(file));
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("cannot load snapshot {}", file, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        this.term = term;
        super.onLeaderStart(term);
        machine.onLeaderStart(term);
    }

    @Override
    public void onStartFollowing(LeaderChangeContext context) {
        this.term = context.getTerm();
        super.onStartFollowing(context);
    }
}
