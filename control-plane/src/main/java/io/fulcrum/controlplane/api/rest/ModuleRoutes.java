package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.controlplane.api.ConfigOperations;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.ListRequest;
import io.fulcrum.proto.v1.ReadConsistency;
import io.fulcrum.proto.v1.Resource;
import io.fulcrum.proto.v1.ResourceRef;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The resource routes in vproxy's shape, derived from {@link Kind} and the schema table: for a
 * top-level kind {@code /api/v1/module/KIND} (GET list, POST create) and
 * {@code /api/v1/module/KIND/{name}} (GET, PUT update, DELETE); for a nested kind the same below its
 * container, {@code /api/v1/module/server-group/{name}/server/{server}}. Writes become command
 * lines ({@link ModuleCommand}) and run through {@link ConfigOperations#exec}.
 */
final class ModuleRoutes {
    static final String PREFIX = "/api/v1/module/";

    private final ConfigOperations config;

    ModuleRoutes(ConfigOperations config) {
        this.config = config;
    }

    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            String collection = collection(kind);
            String one = collection + "/{" + nameParam(kind) + "}";
            String what = kind.isNested() ? kind.word() + " in its " + kind.parent().word() : kind.word();
            routes.add(Route.of(HttpMethod.GET, collection, "list every " + what, c -> list(kind, c)).query("consistency"));
            routes.add(Route.of(HttpMethod.POST, collection, "create " + kind.withArticle(),
                    c -> write(c, ModuleCommand.add(kind, parent(kind, c), ModuleCommand.object(c.body())),
                            HttpResponseStatus.CREATED)).body(kind));
            routes.add(Route.of(HttpMethod.GET, one, "read one " + what, c -> get(kind, c)).query("consistency"));
            routes.add(Route.of(HttpMethod.PUT, one, "update the given fields of " + kind.withArticle(),
                    c -> write(c, ModuleCommand.update(kind, parent(kind, c), c.param(nameParam(kind)),
                            ModuleCommand.object(c.body())), HttpResponseStatus.OK)).body(kind));
            routes.add(Route.of(HttpMethod.DELETE, one, "remove " + kind.withArticle(),
                    c -> write(c, ModuleCommand.remove(kind, parent(kind, c), c.param(nameParam(kind))), HttpResponseStatus.OK)));
        }
        return routes;
    }

    /** "/api/v1/module/server-group/{name}/server". */
    static String collection(Kind kind) {
        return kind.isNested() ? PREFIX + kind.parent().word() + "/{name}/" + kind.word() : PREFIX + kind.word();
    }

    /** "name" for a top-level kind, the camelCase type word for a nested one ("server", "serverGroup"). */
    static String nameParam(Kind kind) {
        return kind.isNested() ? Manifest.camel(kind.word()) : "name";
    }

    private static String parent(Kind kind, RestCall call) {
        return kind.isNested() ? call.param("name") : null;
    }

    private CompletableFuture<RestResponse> list(Kind kind, RestCall call) {
        ListRequest.Builder request = ListRequest.newBuilder().setKind(kind.protoKind()).setConsistency(consistency(call));
        if (kind.isNested()) {
            request.setParent(call.param("name"));
        }
        return config.list(request.build(), call.principal()).thenApply(response -> {
            ArrayNode items = RestResponse.JSON.createArrayNode();
            for (Resource resource : response.getResourcesList()) {
                items.add(Manifest.writeResource(kind, Target.of(resource).resource()));
            }
            return RestResponse.json(HttpResponseStatus.OK, items).withVersion(response.getVersion());
        });
    }

    private CompletableFuture<RestResponse> get(Kind kind, RestCall call) {
        ResourceRef.Builder ref = ResourceRef.newBuilder().setKind(kind.protoKind()).setName(call.param(nameParam(kind)));
        if (kind.isNested()) {
            ref.setParent(call.param("name"));
        }
        GetRequest request = GetRequest.newBuilder().setRef(ref).setConsistency(consistency(call)).build();
        return config.get(request, call.principal()).thenApply(response -> RestResponse.json(HttpResponseStatus.OK,
                Manifest.writeResource(kind, Target.of(response.getResource()).resource())).withVersion(response.getVersion()));
    }

    private CompletableFuture<RestResponse> write(RestCall call, String command, HttpResponseStatus status) {
        return exec(config, call, command).thenApply(response -> RestResponse.json(status, RestResponse.JSON.createObjectNode()
                .put("version", response.getVersion()).put("command", command)).withVersion(response.getVersion()));
    }

    /** Runs {@code text} as fctl's exec would, with If-Match as the expected version and the call's request id. */
    static CompletableFuture<io.fulcrum.proto.v1.ExecResponse> exec(ConfigOperations config, RestCall call, String text) {
        ExecRequest request = ExecRequest.newBuilder().setText(text).setExpectedVersion(call.expectedVersion())
                .setRequestId(call.requestId()).setComment(call.comment()).setConsistency(consistency(call)).build();
        return config.exec(request, call.principal());
    }

    /** {@code ?consistency=local} reads this member's state without a ReadIndex barrier; default linearizable. */
    static ReadConsistency consistency(RestCall call) {
        String value = call.query("consistency", "linearizable");
        return switch (value) {
            case "linearizable" -> ReadConsistency.READ_CONSISTENCY_LINEARIZABLE;
            case "local" -> ReadConsistency.READ_CONSISTENCY_LOCAL;
            default -> throw RestException.badRequest("query parameter consistency: \"" + value
                    + "\" (expected: linearizable or local)");
        };
    }
}
