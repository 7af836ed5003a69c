package io.fulcrum.controlplane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls to a member's REST API (java.net.http), with a bearer token and a timeout on each. */
public final class RestClient {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final String base;
    private final String token;

    /** @param token null: no Authorization header */
    public RestClient(String restAddress, String token) {
        this("http://" + restAddress, token, HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
    }

    /** @param base "https://127.0.0.1:PORT", with a client that trusts the server's certificate */
    public RestClient(String base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    public RestClient as(String otherToken) {
        return new RestClient(base, otherToken, http);
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    public HttpResponse<String> post(String path, String body) {
        return send("POST", path, body, null);
    }

    public HttpResponse<String> put(String path, String body) {
        return send("PUT", path, body, null);
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** @param ifMatch null: no If-Match header */
    public HttpResponse<String> send(String method, String path, String body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (body != null) {
            request.header("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient http() {
        return http;
    }

    public String base() {
        return base;
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version an answer's ETag names. */
    public static long version(HttpResponse<String> response) {
        return Long.parseLong(response.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
    }
}
