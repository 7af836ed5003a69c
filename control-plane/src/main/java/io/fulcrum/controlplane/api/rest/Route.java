package io.fulcrum.controlplane.api.rest;

import io.fulcrum.config.schema.Kind;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One route of the REST API: method, path template ({@code /api/v1/module/server-group/{name}}),
 * what it does, and what the OpenAPI document says about it (query parameters, the body). The
 * server answers exactly the routes of {@link RestRoutes}, and the OpenAPI document lists exactly
 * those. Immutable.
 *
 * @param open      true: answered without a token (the OpenAPI document, the status page's files)
 * @param bodyKind  the resource kind whose camelCase fields the JSON body holds; null for none
 * @param bodyType  the media type of a non-resource body (text/plain, application/yaml); null for none
 * @param produces  the media type of a successful answer
 */
record Route(HttpMethod method, String template, String summary, List<String> query, Kind bodyKind, String bodyType,
        String produces, boolean open, Handler handler) {

    /** Answers one call; may throw (mapped like a failed future). */
    @FunctionalInterface
    interface Handler {
        CompletableFuture<RestResponse> handle(RestCall call);
    }

    static Route of(HttpMethod method, String template, String summary, Handler handler) {
        return new Route(method, template, summary, List.of(), null, null, RestResponse.JSON_TYPE, false, handler);
    }

    Route query(String... names) {
        return new Route(method, template, summary, List.of(names), bodyKind, bodyType, produces, open, handler);
    }

    Route body(Kind kind) {
        return new Route(method, template, summary, query, kind, null, produces, open, handler);
    }

    Route body(String mediaType) {
        return new Route(method, template, summary, query, null, mediaType, produces, open, handler);
    }

    Route produces(String mediaType) {
        return new Route(method, template, summary, query, bodyKind, bodyType, mediaType, open, handler);
    }

    Route withoutToken() {
        return new Route(method, template, summary, query, bodyKind, bodyType, produces, true, handler);
    }

    /** The path parameters' names, in order ("name", "server"). */
    List<String> pathParams() {
        return segments(template).stream().filter(Route::isParam).map(s -> s.substring(1, s.length() - 1)).toList();
    }

    /** The path parameters if {@code path} fits the template (values URL-decoded), else null. */
    Map<String, String> match(String path) {
        List<String> want = segments(template);
        List<String> got = segments(path);
        if (want.size() != got.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String value = QueryStringDecoder.decodeComponent(got.get(i), StandardCharsets.UTF_8);
            if (isParam(want.get(i))) {
                if (value.isEmpty()) {
                    return null;
                }
                params.put(want.get(i).substring(1, want.get(i).length() - 1), value);
            } else if (!want.get(i).equals(value)) {
                return null;
            }
        }
        return params;
    }

    private static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> segments(String path) {
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return List.of(trimmed.split("/", -1));
    }
}
