package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAPI 3 document of the REST API, generated from the route table (every route the server
 * answers, nothing else) and, for resource bodies, from the schema table (one component schema
 * per kind, its camelCase fields typed from the proto field and described by the schema's help).
 */
final class OpenApiDocument {
    private OpenApiDocument() {
    }

    static ObjectNode of(List<Route> routes) {
        ObjectNode doc = RestResponse.JSON.createObjectNode().put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Fulcrum REST API").put("version", "v1")
                .put("description", "The control plane's configuration and cluster API (docs/api.md). Writes accept "
                        + "If-Match: VERSION (409 when the config moved); answers carry ETag: VERSION.");
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        ObjectNode schemas = components.putObject("schemas");
        schemas.putObject("Error").put("type", "object").putObject("properties")
                .<ObjectNode>set("error", type("string")).set("code", type("string"));
        for (Kind kind : Kind.values()) {
            schemas.set(schemaName(kind), schema(kind));
        }
        ObjectNode paths = doc.putObject("paths");
        for (Route route : routes) {
            ObjectNode path = paths.has(route.template()) ? (ObjectNode) paths.get(route.template())
                    : paths.putObject(route.template());
            path.set(route.method().name().toLowerCase(Locale.ROOT), operation(route));
        }
        return doc;
    }

    /** "ServerGroup", and "UpstreamServerGroup" for the link of a server group into an upstream. */
    static String schemaName(Kind kind) {
        String camel = Manifest.camel(kind.word());
        String name = Character.toUpperCase(camel.charAt(0)) + camel.substring(1);
        return kind == Kind.SERVER_GROUP_LINK ? "UpstreamServerGroup" : name;
    }

    private static ObjectNode operation(Route route) {
        ObjectNode op = RestResponse.JSON.createObjectNode().put("summary", route.summary())
                .put("operationId", route.method().name().toLowerCase(Locale.ROOT) + route.template()
                        .replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_"));
        if (route.open()) {
            op.putArray("security");
        }
        ArrayNode params = op.putArray("parameters");
        route.pathParams().forEach(p -> params.addObject().put("name", p).put("in", "path").put("required", true)
                .set("schema", type("string")));
        route.query().forEach(q -> params.addObject().put("name", q).put("in", "query").set("schema", type("string")));
        if (route.bodyKind() != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .putObject("schema").put("$ref", "#/components/schemas/" + schemaName(route.bodyKind()));
        } else if (route.bodyType() != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject(route.bodyType())
                    .set("schema", type("string"));
        }
        ObjectNode responses = op.putObject("responses");
        responses.putObject("200").put("description", "done; ETag: the config version")
                .putObject("content").putObject(route.produces().split(";")[0]).set("schema", type("object"));
        for (String code : List.of("400", "401", "403", "404", "409", "503")) {
            responses.putObject(code).put("description", "see the error message").putObject("content")
                    .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
        }
        return op;
    }

    private static ObjectNode schema(Kind kind) {
        ObjectNode schema = RestResponse.JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.set("name", type("string").put("description", "the resource's name; in the body of POST only"));
        ArrayNode required = schema.putArray("required").add("name");
        for (Field field : Schema.fields(kind)) {
            String key = Manifest.camel(field.param());
            properties.set(key, fieldType(kind, field).put("description", field.help() + " (" + field.type().describe()
                    + ")" + (field.updatable() ? "" : "; not updatable")));
            if (field.required()) {
                required.add(key);
            }
        }
        return schema;
    }

    private static ObjectNode fieldType(Kind kind, Field field) {
        FieldDescriptor descriptor = kind.descriptor().findFieldByName(field.protoName());
        if (descriptor.isMapField()) {
            return type("object").set("additionalProperties", type("string"));
        }
        return switch (descriptor.getJavaType()) {
            case INT, LONG -> type("integer");
            case BOOLEAN -> type("boolean");
            default -> type("string");
        };
    }

    private static ObjectNode type(String type) {
        return RestResponse.JSON.createObjectNode().put("type", type);
    }
}
