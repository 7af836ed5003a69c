package io.fulcrum.controlplane.raft;

/**
 * Whether the leader hears from one voting member.
 *
 * @param raftAddress      host:port of the member's Raft transport
 * @param reachable        it answered the leader within the leader lease (0.9 × the election
 *                         timeout); always true for the leader itself
 * @param unreachableForMs when not reachable, about how long since it last answered, counted at
 *                         most from when this member became leader; 0 when reachable
 */
public record PeerReachability(String raftAddress, boolean reachable, long unreachableForMs) {
}
