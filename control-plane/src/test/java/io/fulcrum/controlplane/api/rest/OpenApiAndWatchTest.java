package io.fulcrum.controlplane.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.RestClient;
import io.fulcrum.controlplane.testing.TestCluster;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document lists exactly the routes the server answers; the watch stream sends changes as SSE. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiAndWatchTest {
    private TestCluster cluster;
    private RestClient rest;

    @BeforeAll
    void start(@TempDir Path dir) {
        cluster = TestCluster.start(dir, 1, b -> b.rest(Ports.loopback()));
        rest = new RestClient(cluster.leader().restAddress(), cluster.tokens().operator());
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void theOpenApiDocumentParsesAndListsEveryRouteTheServerAnswersAndNoOther() {
        HttpResponse<String> served = rest.as(null).get("/api/v1/openapi.json");
        assertEquals(200, served.statusCode(), served.body());
        JsonNode doc = RestClient.json(served);
        assertEquals("3.0.3", doc.path("openapi").asText());
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
            for (JsonNode op : path.getValue()) {
                JsonNode ref = op.path("requestBody").path("content").path("application/json").path("schema").path("$ref");
                if (!ref.isMissingNode()) {
                    String schema = ref.asText().substring("#/components/schemas/".length());
                    assertTrue(doc.path("components").path("schemas").has(schema), "no schema " + schema);
                }
            }
        }
        Set<String> table = new HashSet<>();
        RestApi.routes(cluster.leader().api(), cluster.leader().state()).all()
                .forEach(r -> table.add(r.method().name() + " " + r.template()));
        assertEquals(table, documented);
        assertTrue(documented.contains("PUT /api/v1/module/server-group/{name}/server/{server}"), documented.toString());
        assertTrue(documented.contains("POST /api/v1/module/upstream/{name}/server-group"), documented.toString());
        // the server answers each documented route (a route it did not have would be 404 or 405) ...
        for (String route : documented) {
            String[] parts = route.split(" ");
            String path = parts[1].replaceAll("\\{[^}]+}", "nothing-here");
            if (path.endsWith("/watch")) {
                continue; // a stream; checked below
            }
            HttpResponse<String> answer = rest.send(parts[0], path, parts[0].equals("GET") || parts[0].equals("DELETE")
                    ? null : "{}", null);
            assertNotEquals(405, answer.statusCode(), route + ": " + answer.body());
            assertTrue(answer.statusCode() != 404 || !answer.body().contains("no route"), route + ": " + answer.body());
        }
        // ... and nothing else
        for (String path : List.of("/api/v1/module/listener", "/api/v2/exec", "/api/v1/module/server-group/a/b/c/d")) {
            assertTrue(rest.get(path).body().contains("no route"), path);
        }
    }

    @Test
    void watchSendsReplayedAndLiveChangesAsServerSentEvents() throws Exception {
        // fromVersion 0 means live changes only: replay from a version that exists
        long start = RestClient.version(rest.post("/api/v1/module/upstream", "{\"name\":\"watched-start\"}"));
        assertEquals(201, rest.post("/api/v1/module/upstream", "{\"name\":\"watched-before\"}").statusCode());
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rest.base() + "/api/v1/watch?fromVersion=" + start))
                .header("Authorization", "Bearer " + cluster.tokens().viewer()).build();
        CompletableFuture<HttpResponse<Stream<String>>> stream = rest.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = stream.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        Poll.until(Duration.ofSeconds(20), "the replay and ready", () -> lines.contains("event: ready"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("data: ") && l.contains("watched-before")), lines.toString());
        assertEquals(201, rest.post("/api/v1/module/upstream", "{\"name\":\"watched-live\"}").statusCode());
        long live = cluster.leader().state().model().version();
        Poll.until(Duration.ofSeconds(20), "the live change", () -> lines.contains("id: " + live));
        assertTrue(lines.stream().anyMatch(l -> l.contains("watched-live")), lines.toString());
        assertEquals(1, lines.stream().filter(l -> l.equals("id: " + live)).count(), lines.toString());
        response.body().close();
    }
}
