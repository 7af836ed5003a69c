package io.fulcrum.controlplane.api.rest;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every route the server answers, and the lookup of a request's route. Immutable. */
final class RestRoutes {
    /** A route and the path parameters of the request it matched. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes;

    RestRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    List<Route> all() {
        return routes;
    }

    /**
     * The route of {@code method} and {@code path}.
     *
     * @throws RestException 404 when no route has the path, 405 (naming the allowed methods) when
     *                       one has it with another method
     */
    Match find(HttpMethod method, String path) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.match(path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route, params);
            }
            allowed.add(route.method().name());
        }
        if (allowed.isEmpty()) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "no route " + path + "; the routes are listed in "
                    + "/api/v1/openapi.json (resources: /api/v1/module/TYPE)");
        }
        throw new RestException(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed on " + path
                + "; allowed: " + String.join(", ", new ArrayList<>(allowed)));
    }
}
