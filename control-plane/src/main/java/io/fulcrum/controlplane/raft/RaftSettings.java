package io.fulcrum.controlplane.raft;

import java.nio.file.Path;
import java.util.List;

/**
 * What a Raft member needs to start.
 *
 * @param raftAddress        host:port of this member's Raft transport
 * @param dataDir            where the log, meta and snapshots live (created if missing)
 * @param initialPeers       host:port of every member of a new cluster (including this one); empty
 *                           to join an existing cluster, which adds this member with AddMember
 * @param electionTimeoutMs  how long a follower waits for the leader before it starts an election
 * @param maxElectionDelayMs the random delay added to the election timeout (spreads candidates)
 * @param snapshotIntervalSecs how often the state is snapshotted (and the log truncated)
 * @param fsync              whether the log is synced to disk before an entry is acknowledged
 */
public record RaftSettings(String raftAddress, Path dataDir, List<String> initialPeers, int electionTimeoutMs,
        int maxElectionDelayMs, int snapshotIntervalSecs, boolean fsync) {

    public static final String GROUP = "fulcrum";

    public RaftSettings {
        initialPeers = List.copyOf(initialPeers);
    }
}
