package io.fulcrum.controlplane.raft;

/** This member's Raft role, as shown by Status. */
public enum MemberRole {
    LEADER, FOLLOWER, CANDIDATE, LEARNER, STARTING, STOPPED
}
