package io.fulcrum.dataplane.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The links of one host level of an {@link HttpRouter} by path prefix: the longest matching
 * prefix wins, else the links without a path hint. Immutable.
 */
final class PathTable {
    private final String[] prefixes;
    private final UpstreamRoute[] routes;
    private final UpstreamRoute unprefixed;

    private PathTable(String[] prefixes, UpstreamRoute[] routes, UpstreamRoute unprefixed) {
        this.prefixes = prefixes;
        this.routes = routes;
        this.unprefixed = unprefixed;
    }

    /** The links for {@code path}; null if none. */
    UpstreamRoute route(String path) {
        for (int i = 0; i < prefixes.length; i++) {
            if (path.startsWith(prefixes[i])) {
                return routes[i];
            }
        }
        return unprefixed;
    }

    /** Collects links in config order; not thread-safe. */
    static final class Builder {
        private final Map<String, List<UpstreamRoute.Link>> byPrefix = new LinkedHashMap<>();
        private final List<UpstreamRoute.Link> unprefixed = new ArrayList<>();

        void add(String prefix, UpstreamRoute.Link link) {
            (prefix == null ? unprefixed : byPrefix.computeIfAbsent(prefix, p -> new ArrayList<>())).add(link);
        }

        boolean isEmpty() {
            return byPrefix.isEmpty() && unprefixed.isEmpty();
        }

        PathTable build(String upstream, Random random) {
            List<String> prefixes = new ArrayList<>(byPrefix.keySet());
            prefixes.sort(Comparator.comparing((String p) -> -p.length()).thenComparing(p -> p));
            UpstreamRoute[] routes = new UpstreamRoute[prefixes.size()];
            for (int i = 0; i < routes.length; i++) {
                routes[i] = new UpstreamRoute(upstream, byPrefix.get(prefixes.get(i)), random);
            }
            return new PathTable(prefixes.toArray(String[]::new), routes,
                    unprefixed.isEmpty() ? null : new UpstreamRoute(upstream, unprefixed, random));
        }
    }
}
