package io.fulcrum.dataplane.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fulcrum.dataplane.balance.SmoothWeightedRoundRobin;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The routing precedence of docs/http.md, one rule at a time. */
@Timeout(10)
class HttpRouterTest {
    private final List<HttpRouter.HintedLink> links = new ArrayList<>();

    private void link(String group, String hosts, String prefix) {
        BackendGroup backendGroup = new BackendGroup(group, new SmoothWeightedRoundRobin<>(List.of(), new Random(1)), null, null);
        links.add(new HttpRouter.HintedLink(new UpstreamRoute.Link(backendGroup, 10),
                hosts == null ? List.of() : List.of(hosts.split(",")), prefix));
    }

    private String route(String host, String path) {
        UpstreamRoute route = HttpRouter.of("u", links, new Random(1)).route(host, path);
        return route == null ? null : String.join("+", route.links().stream().map(l -> l.group().name()).toList());
    }

    @Test
    void withoutHintsEveryLinkIsACandidate() {
        link("a", null, null);
        link("b", null, null);
        HttpRouter router = HttpRouter.of("u", links, new Random(1));
        assertSame(router.route("x", "/"), router.route("y", "/z"));
        assertEquals("a+b", route("anything", "/"));
    }

    @Test
    void exactThenLongestSuffixThenStar() {
        link("exact", "www.example.com", null);
        link("sub", "*.example.com", null);
        link("deep", "*.api.example.com", null);
        link("star", "*", null);
        assertEquals("exact", route("www.example.com", "/"));
        assertEquals("sub", route("img.example.com", "/"));
        assertEquals("deep", route("v1.api.example.com", "/"));
        assertEquals("sub", route("api.example.com", "/"), "*.api.example.com needs a label before the suffix");
        assertEquals("star", route("example.com", "/"), "*.example.com does not match example.com itself");
        assertEquals("star", route("other.org", "/"));
    }

    @Test
    void longestPrefixWinsWithinTheHostLevelThenTheUnhintedLinksOfThatLevel() {
        link("static", "www.a.com", "/static/");
        link("images", "www.a.com", "/static/img/");
        link("site", "www.a.com", null);
        link("api", null, "/api");
        link("default", null, null);
        assertEquals("images", route("www.a.com", "/static/img/x.png"));
        assertEquals("static", route("www.a.com", "/static/css"));
        assertEquals("site", route("www.a.com", "/api/v1"), "the host level decides before paths of other levels");
        assertEquals("api", route("b.com", "/api/v1"));
        assertEquals("default", route("b.com", "/"));
    }

    @Test
    void aLevelWhosePathsDoNotMatchFallsThroughToTheNextLevel() {
        link("admin", "www.a.com", "/admin");
        link("wild", "*.a.com", null);
        assertEquals("admin", route("www.a.com", "/admin/users"));
        assertEquals("wild", route("www.a.com", "/"));
        assertNull(route("b.com", "/"), "nothing for other hosts: 404");
    }

    @Test
    void tiedLinksShareByWeightAndAListOfHostsCountsForEach() {
        link("one", "a.com,b.com", null);
        link("two", "b.com", null);
        assertEquals("one", route("a.com", "/"));
        assertEquals("one+two", route("b.com", "/"));
    }
}
