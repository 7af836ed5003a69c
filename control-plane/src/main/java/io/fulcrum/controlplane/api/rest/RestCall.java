package io.fulcrum.controlplane.api.rest;

import io.fulcrum.controlplane.api.Principal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One authenticated request as a route sees it: method, path parameters, query, headers, the body
 * as text, the caller and (for streaming routes) the channel. Immutable apart from the channel.
 */
record RestCall(HttpMethod method, String path, Map<String, String> params, Map<String, List<String>> query,
        HttpHeaders headers, String body, Principal principal, ChannelHandlerContext channel) {

    String param(String name) {
        return params.get(name);
    }

    /** The query parameter {@code name}, or {@code fallback} when absent. */
    String query(String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
    }

    /** A query flag: absent false; "", "true" or "1" true; "false" or "0" false; anything else 400. */
    boolean flag(String name) {
        String value = query(name, null);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "", "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw RestException.badRequest("query parameter " + name + ": \"" + value
                    + "\" (expected: true or false)");
        };
    }

    /** A non-negative integer query parameter, or {@code fallback}. */
    long number(String name, long fallback) {
        String value = query(name, null);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RestException.badRequest("query parameter " + name + ": \"" + value + "\" (expected: an integer >= 0)");
    }

    /**
     * The version {@code If-Match} asks for (the batch's expected version), 0 when absent or
     * {@code *}. Accepts {@code 12}, {@code "12"} and {@code W/"12"}.
     */
    long expectedVersion() {
        String header = headers.get("If-Match");
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return 0;
        }
        String value = header.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            long version = Long.parseLong(value);
            if (version > 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw RestException.badRequest("If-Match: \"" + header + "\" (expected: a config version, as the ETag of a "
                + "response gives it, e.g. \"12\")");
    }

    /** The request id from {@code X-Request-Id} (a retry with the same id applies at most once), else a new one. */
    String requestId() {
        String id = headers.get("X-Request-Id");
        return id == null || id.isBlank() ? UUID.randomUUID().toString() : id.strip();
    }

    /** The change's comment from {@code X-Fulcrum-Comment}, else "rest METHOD PATH". */
    String comment() {
        String comment = headers.get("X-Fulcrum-Comment");
        return comment == null || comment.isBlank() ? "rest " + method + " " + path : comment.strip();
    }
}
