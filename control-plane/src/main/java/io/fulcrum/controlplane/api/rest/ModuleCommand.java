package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Names;
import io.fulcrum.config.schema.Schema;

/**
 * A REST body turned into the command line fctl would send for it: the body's camelCase keys are
 * the schema's parameters, each value checked by the field's type (errors name {@code body.KEY})
 * and written back as the token the parser reads. The line then runs through Exec like any other,
 * so the grammar's rules (required, updatable) and the model's validation apply unchanged.
 */
final class ModuleCommand {
    private ModuleCommand() {
    }

    /** The body as a JSON object, or 400 naming what is wrong. */
    static JsonNode object(String body) {
        if (body.isBlank()) {
            throw RestException.badRequest("body: a JSON object is required");
        }
        JsonNode node;
        try {
            node = RestResponse.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RestException.badRequest("body: not valid JSON: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            throw RestException.badRequest("body: must be a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    /** "add server backend1 to server-group ngx address 127.0.0.1:80 weight 10"; the name is the body's. */
    static String add(Kind kind, String parent, JsonNode body) {
        JsonNode name = body.path("name");
        if (!name.isTextual() || name.asText().isEmpty()) {
            throw RestException.badRequest("body.name is required: the name of the new " + kind.word());
        }
        return head("add", "to", kind, parent, name.asText()) + params(kind, name.asText(), body);
    }

    /** "update server backend1 in server-group ngx weight 5": only the body's keys change. */
    static String update(Kind kind, String parent, String name, JsonNode body) {
        JsonNode given = body.path("name");
        if (!given.isMissingNode() && !given.asText().equals(name)) {
            throw RestException.badRequest("body.name: \"" + given.asText() + "\" differs from the path's " + name
                    + " (a resource cannot be renamed; leave name out)");
        }
        String params = params(kind, name, body);
        if (params.isEmpty()) {
            throw RestException.badRequest("body: nothing to update; updatable keys of " + kind.word() + ": "
                    + String.join(", ", Schema.updatableFields(kind).stream().map(f -> Manifest.camel(f.param())).toList()));
        }
        return head("update", "in", kind, parent, name) + params;
    }

    static String remove(Kind kind, String parent, String name) {
        return head("remove", "from", kind, parent, name);
    }

    private static String head(String action, String preposition, Kind kind, String parent, String name) {
        StringBuilder head = new StringBuilder(action).append(' ').append(kind.word()).append(' ').append(checked(name));
        if (kind.isNested()) {
            head.append(' ').append(preposition).append(' ').append(kind.parent().word()).append(' ').append(checked(parent));
        }
        return head.toString();
    }

    private static String checked(String name) {
        if (!Names.isValid(name) && !name.matches("\\([a-z-]+\\)")) {
            throw RestException.badRequest("invalid name \"" + name + "\": must be " + Names.RULE);
        }
        return name;
    }

    private static String params(Kind kind, String name, JsonNode body) {
        Message.Builder resource;
        try {
            resource = Manifest.readResource(kind, name, body, "body");
        } catch (IllegalArgumentException e) {
            throw RestException.badRequest(e.getMessage());
        }
        StringBuilder params = new StringBuilder();
        for (Field field : Schema.fields(kind)) {
            if (body.has(Manifest.camel(field.param()))) {
                params.append(' ').append(field.param()).append(' ').append(field.format(resource));
            }
        }
        return params.toString();
    }
}
