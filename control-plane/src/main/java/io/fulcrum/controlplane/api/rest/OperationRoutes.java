package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.api.ClusterOperations;
import io.fulcrum.controlplane.api.ConfigOperations;
import io.fulcrum.controlplane.api.HistoryOperations;
import io.fulcrum.proto.v1.HealthRequest;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.ResourceKind;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The routes beside the resources: exec (command text, as fctl runs it), nodes, history, cluster
 * status and health, each a thin adapter over the operation the gRPC API calls. Answers are
 * protos in protobuf's JSON mapping; the config version they were read at is the ETag.
 */
final class OperationRoutes {
    private final ConfigOperations config;
    private final ClusterOperations cluster;
    private final HistoryOperations history;

    OperationRoutes(ConfigOperations config, ClusterOperations cluster, HistoryOperations history) {
        this.config = config;
        this.cluster = cluster;
        this.history = history;
    }

    List<Route> routes() {
        return List.of(
                Route.of(HttpMethod.POST, "/api/v1/exec", "run command-language text: one command, or a script applied "
                        + "as one atomic batch (fctl exec, fctl -f)", this::exec).body("text/plain").query("consistency"),
                Route.of(HttpMethod.GET, "/api/v1/nodes", "every data plane with its sync state, version, lag and VIP roles",
                        c -> cluster.nodes(c.principal()).thenApply(r -> RestResponse.proto(r).withVersion(r.getConfigVersion()))),
                Route.of(HttpMethod.GET, "/api/v1/history", "committed changes, newest first (fctl history)", this::history)
                        .query("limit", "kind", "name", "consistency"),
                Route.of(HttpMethod.GET, "/api/v1/status", "members, leader, term and commit index (fctl status)",
                        c -> cluster.status(c.principal()).thenApply(r -> RestResponse.proto(r).withVersion(r.getConfigVersion()))),
                Route.of(HttpMethod.GET, "/api/v1/health", "each server's health, overall and per data plane",
                        c -> cluster.health(HealthRequest.newBuilder().setServerGroup(c.query("serverGroup", "")).build(),
                                c.principal()).thenApply(RestResponse::proto)).query("serverGroup"));
    }

    private CompletableFuture<RestResponse> exec(RestCall call) {
        String text = call.body();
        String type = call.headers().get("Content-Type");
        if (type != null && type.startsWith("application/json")) {
            JsonNode node = ModuleCommand.object(text).path("text");
            if (!node.isTextual()) {
                throw RestException.badRequest("body.text is required: the command-language text to run");
            }
            text = node.asText();
        }
        return ModuleRoutes.exec(config, call, text).thenApply(r -> RestResponse.proto(r).withVersion(r.getVersion()));
    }

    private CompletableFuture<RestResponse> history(RestCall call) {
        HistoryRequest.Builder request = HistoryRequest.newBuilder()
                .setLimit((int) Math.min(Integer.MAX_VALUE, call.number("limit", 0)))
                .setName(call.query("name", "")).setConsistency(ModuleRoutes.consistency(call));
        String kind = call.query("kind", "");
        if (!kind.isEmpty()) {
            request.setKind(kindOf(kind));
        }
        return history.history(request.build(), call.principal())
                .thenApply(r -> RestResponse.proto(r).withVersion(r.getCurrentVersion()));
    }

    /** The kind of a type word; "server-group" is the group (its links are matched by the group's name). */
    private static ResourceKind kindOf(String word) {
        for (Kind kind : Kind.values()) {
            if (kind.word().equals(word)) {
                return kind.protoKind();
            }
        }
        throw RestException.badRequest("query parameter kind: \"" + word + "\" (expected one of: "
                + String.join(", ", java.util.Arrays.stream(Kind.values()).map(Kind::word).distinct().toList()) + ")");
    }
}
