package io.fulcrum.dataplane.runtime;

import io.fulcrum.dataplane.balance.Candidate;
import io.fulcrum.dataplane.balance.Selector;
import io.fulcrum.dataplane.balance.SmoothWeightedRoundRobin;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * An upstream as one applied config sees it: it picks a server group by link weight (smooth
 * weighted round robin over the links with weight above 0 and at least one available server),
 * then the group picks a server. If the chosen group has nothing left to offer (every available
 * server already tried), the next group is asked.
 */
public final class UpstreamRoute {
    /** A link to a server group; available while its weight is above 0 and the group has an available server. */
    public record Link(BackendGroup group, int weight) implements Candidate {
        @Override
        public boolean available() {
            return weight > 0 && group.anyAvailable();
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public String hashKey() {
            return group.name();
        }
    }

    /** At most this many connect attempts per client connection. */
    public static final int MAX_ATTEMPTS = 3;

    private final String name;
    private final List<Link> links;
    private final Selector<Link> linkSelector;
    private final int maxAttempts;

    /** Picks among {@code links} by their weights; an HTTP router builds one per set of links a request may use. */
    public UpstreamRoute(String name, List<Link> links, Random random) {
        this.name = name;
        this.links = List.copyOf(links);
        this.linkSelector = new SmoothWeightedRoundRobin<>(this.links, random);
        Set<Backend> distinct = new HashSet<>();
        for (Link link : this.links) {
            if (link.weight() > 0) {
                distinct.addAll(link.group().backends());
            }
        }
        this.maxAttempts = Math.max(1, Math.min(MAX_ATTEMPTS, distinct.size()));
    }

    public String name() {
        return name;
    }

    public List<Link> links() {
        return links;
    }

    /** Connect attempts allowed for one client connection: min(3, servers reachable through this upstream). */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** A server for a new connection from {@code client} that is not in {@code tried}, or null if none is available. */
    public Backend pick(InetAddress client, List<Backend> tried) {
        if (links.size() == 1) {
            Link only = links.get(0);
            return only.weight() > 0 ? only.group().pick(client, tried) : null;
        }
        List<Link> exhausted = List.of();
        for (int i = 0; i < links.size(); i++) {
            Link link = linkSelector.pick(client, exhausted);
            if (link == null) {
                return null;
            }
            Backend backend = link.group().pick(client, tried);
            if (backend != null) {
                return backend;
            }
            if (exhausted.isEmpty()) {
                exhausted = new ArrayList<>(links.size());
            }
            exhausted.add(link);
        }
        return null;
    }
}
