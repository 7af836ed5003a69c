package io.fulcrum.controlplane.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One complete HTTP answer: status, content type, body and extra headers ({@code ETag} carries the
 * config version). {@link #STREAMING} marks a call whose handler took the channel over (SSE).
 */
record RestResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON_TYPE = "application/json; charset=utf-8";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Printer PROTO_JSON = JsonFormat.printer().omittingInsignificantWhitespace();
    static final RestResponse STREAMING = new RestResponse(HttpResponseStatus.OK, "", new byte[0], Map.of());

    static RestResponse json(HttpResponseStatus status, JsonNode body) {
        try {
            return new RestResponse(status, JSON_TYPE, JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proto message in protobuf's canonical JSON mapping (lowerCamelCase names, int64 as strings). */
    static RestResponse proto(MessageOrBuilder message) {
        try {
            return new RestResponse(HttpResponseStatus.OK, JSON_TYPE, PROTO_JSON.print(message).getBytes(StandardCharsets.UTF_8),
                    Map.of());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static RestResponse text(HttpResponseStatus status, String contentType, byte[] body) {
        return new RestResponse(status, contentType, body, Map.of());
    }

    static RestResponse error(HttpResponseStatus status, String code, String message) {
        return json(status, JSON.createObjectNode().put("error", message).put("code", code));
    }

    /** This answer with {@code ETag: "version"} (the config version it read or produced). */
    RestResponse withVersion(long version) {
        return withHeader("ETag", "\"" + version + "\"");
    }

    RestResponse withHeader(String name, String value) {
        Map<String, String> more = new TreeMap<>(headers);
        more.put(name, value);
        return new RestResponse(status, contentType, body, more);
    }
}
