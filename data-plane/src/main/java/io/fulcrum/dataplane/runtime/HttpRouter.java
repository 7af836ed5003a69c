package io.fulcrum.dataplane.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Which links of an upstream an HTTP request may use, from its host and path, precomputed once per
 * config: a hash lookup and a short scan per request. Immutable and thread-safe.
 *
 * <p>Precedence (see docs/http.md): the exact host names, then the {@code *.suffix} patterns from
 * the longest suffix down, then {@code *} together with the links without a host hint. Within the
 * first of those levels that knows the host, the link(s) with the longest matching path prefix
 * win, then the links of that level without a path hint; if neither matches, the next level is
 * tried. Links that tie (same host pattern and prefix) share by weight. No match: {@code null}.
 */
public final class HttpRouter {
    /**
     * A link with its hints.
     *
     * @param hosts lower-case patterns ({@code www.a.com}, {@code *.a.com}, {@code *}); empty: any host
     * @param pathPrefix null: any path
     */
    public record HintedLink(UpstreamRoute.Link link, List<String> hosts, String pathPrefix) {
    }

    private final UpstreamRoute everything;
    private final Map<String, PathTable> exact;
    private final String[] suffixes;
    private final PathTable[] suffixTables;
    private final PathTable any;

    private HttpRouter(UpstreamRoute everything, Map<String, PathTable> exact, List<Map.Entry<String, PathTable>> suffixes,
            PathTable any) {
        this.everything = everything;
        this.exact = exact;
        this.suffixes = suffixes.stream().map(Map.Entry::getKey).toArray(String[]::new);
        this.suffixTables = suffixes.stream().map(Map.Entry::getValue).toArray(PathTable[]::new);
        this.any = any;
    }

    /** The router of an upstream whose links carry {@code hinted}'s hints, in config order. */
    public static HttpRouter of(String upstream, List<HintedLink> hinted, Random random) {
        if (hinted.stream().allMatch(h -> h.hosts().isEmpty() && h.pathPrefix() == null)) {
            List<UpstreamRoute.Link> links = hinted.stream().map(HintedLink::link).toList();
            return new HttpRouter(new UpstreamRoute(upstream, links, random), Map.of(), List.of(), null);
        }
        Map<String, PathTable.Builder> exact = new LinkedHashMap<>();
        Map<String, PathTable.Builder> suffixes = new HashMap<>();
        PathTable.Builder any = new PathTable.Builder();
        for (HintedLink link : hinted) {
            for (String host : link.hosts().isEmpty() ? List.of("*") : link.hosts()) {
                PathTable.Builder table = host.equals("*") ? any
                        : host.startsWith("*.") ? suffixes.computeIfAbsent(host.substring(1), s -> new PathTable.Builder())
                        : exact.computeIfAbsent(host, h -> new PathTable.Builder());
                table.add(link.pathPrefix(), link.link());
            }
        }
        Map<String, PathTable> exactTables = new HashMap<>();
        exact.forEach((host, table) -> exactTables.put(host, table.build(upstream, random)));
        List<Map.Entry<String, PathTable>> suffixTables = new ArrayList<>();
        suffixes.forEach((suffix, table) -> suffixTables.add(Map.entry(suffix, table.build(upstream, random))));
        suffixTables.sort(Comparator.comparing((Map.Entry<String, PathTable> e) -> -e.getKey().length())
                .thenComparing(Map.Entry::getKey));
        return new HttpRouter(null, exactTables, suffixTables, any.isEmpty() ? null : any.build(upstream, random));
    }

    /**
     * The links a request for {@code host} (lower case, without port) and {@code path} may use, as
     * an upstream that picks among them by weight; null when no link matches.
     */
    public UpstreamRoute route(String host, String path) {
        if (everything != null) {
            return everything;
        }
        PathTable table = exact.get(host);
        UpstreamRoute found = table == null ? null : table.route(path);
        for (int i = 0; found == null && i < suffixes.length; i++) {
            if (host.length() > suffixes[i].length() && host.endsWith(suffixes[i])) {
                found = suffixTables[i].route(path);
            }
        }
        return found != null || any == null ? found : any.route(path);
    }
}
