package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.config.model.ConfigDiff;
import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.api.ConfigOperations;
import io.fulcrum.proto.v1.ApplyRequest;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.GetRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/v1/apply}: fctl apply over HTTP. The body holds manifests (YAML documents, or
 * JSON, which is YAML too); the live config is diffed against them and the difference is
 * committed as one batch, compare-and-set on the version diffed against (or on If-Match).
 */
final class ApplyRoute {
    private final ConfigOperations config;

    ApplyRoute(ConfigOperations config) {
        this.config = config;
    }

    Route route() {
        return Route.of(HttpMethod.POST, "/api/v1/apply", "make the config match manifests, as one atomic batch "
                + "(fctl apply; dry_run: only say what would change)", this::apply)
                .body("application/yaml").query("dry_run", "prune");
    }

    private CompletableFuture<RestResponse> apply(RestCall call) {
        if (call.body().isBlank()) {
            throw RestException.badRequest("body: manifests are required (YAML or JSON documents, as fctl apply -f reads)");
        }
        Config desired = Manifest.read(call.body());
        boolean dryRun = call.flag("dry_run");
        boolean prune = call.flag("prune");
        long ifMatch = call.expectedVersion();
        return config.get(GetRequest.getDefaultInstance(), call.principal()).thenCompose(live -> {
            ConfigDiff.Plan plan = ConfigDiff.plan(live.getConfig(), desired, prune);
            ObjectNode body = RestResponse.JSON.createObjectNode().put("dryRun", dryRun);
            ArrayNode outcomes = body.putArray("outcomes");
            plan.outcomes().forEach(o -> outcomes.addObject().put("kind", o.kind().word()).put("name", o.name())
                    .put("result", o.result().name().toLowerCase(Locale.ROOT)));
            ArrayNode commands = body.putArray("commands");
            plan.mutations().forEach(m -> commands.add(ScriptWriter.line(m)));
            if (ifMatch != 0 && ifMatch != live.getVersion()) {
                throw new RestException(HttpResponseStatus.CONFLICT, "expected config version " + ifMatch
                        + " but it is at version " + live.getVersion() + "; read the config again and retry");
            }
            if (plan.changesNothing()) {
                body.put("version", live.getVersion());
                return CompletableFuture.completedFuture(RestResponse.json(HttpResponseStatus.OK, body)
                        .withVersion(live.getVersion()));
            }
            Batch batch = Batch.newBuilder().addAllMutations(plan.mutations()).setExpectedVersion(live.getVersion())
                    .setRequestId(call.requestId()).setComment(call.comment()).build();
            return config.apply(ApplyRequest.newBuilder().setBatch(batch).setDryRun(dryRun).build(), call.principal())
                    .thenApply(applied -> {
                        body.put("version", applied.getVersion());
                        return RestResponse.json(HttpResponseStatus.OK, body).withVersion(applied.getVersion());
                    });
        });
    }
}
