package io.fulcrum.controlplane.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.PeerId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * On the leader, when each member last answered. JRaft tells only who answered within the leader
 * lease ({@code listAlivePeers}); sampling that every {@link #SAMPLE_MS} gives, for a member that
 * stopped answering, about when it was last heard from. Thread-safe.
 */
final class ContactTracker {
    static final long SAMPLE_MS = 100;

    private final Node node;
    private final LongSupplier monotonicMs;
    private final Map<String, Long> lastAlive = new HashMap<>();
    private long leaderSince = -1;

    ContactTracker(Node node, LongSupplier monotonicMs) {
        this.node = node;
        this.monotonicMs = monotonicMs;
    }

    /** Records who is alive now; forgets everything when this member is not the leader. */
    synchronized void sample() {
        Set<String> alive = alive();
        if (alive == null) {
            lastAlive.clear();
            leaderSince = -1;
            return;
        }
        long now = monotonicMs.getAsLong();
        if (leaderSince < 0) {
            leaderSince = now;
        }
        alive.forEach(peer -> lastAlive.put(peer, now));
    }

    /** Each of {@code peers} as the leader sees it now, or null when this member is not the leader. */
    synchronized List<PeerReachability> reachability(List<String> peers) {
        sample();
        if (leaderSince < 0) {
            return null;
        }
        Set<String> alive = alive();
        if (alive == null) {
            return null;
        }
        long now = monotonicMs.getAsLong();
        return peers.stream().map(peer -> alive.contains(peer) ? new PeerReachability(peer, true, 0)
                : new PeerReachability(peer, false, now - lastAlive.getOrDefault(peer, leaderSince))).toList();
    }

    private Set<String> alive() {
        if (!node.isLeader()) {
            return null;
        }
        try {
            return node.listAlivePeers().stream().map(PeerId::getEndpoint).map(Object::toString).collect(Collectors.toSet());
        } catch (IllegalStateException lostLeadership) {
            return null;
        }
    }
}
