package io.fulcrum.controlplane.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.RestClient;
import io.fulcrum.controlplane.testing.TestCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The REST API's contract on one member: auth, If-Match, validation before commit, CRUD, exec, apply, history. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
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

    private long version() {
        return cluster.leader().state().model().version();
    }

    @Test
    void noOrUnknownTokenIs401AndRolesAre403() {
        HttpResponse<String> missing = rest.as(null).get("/api/v1/module/upstream");
        assertEquals(401, missing.statusCode());
        assertTrue(missing.body().contains("Authorization: Bearer"), missing.body());
        assertEquals(401, rest.as("not-a-token-at-all").get("/api/v1/module/upstream").statusCode());
        RestClient viewer = rest.as(cluster.tokens().viewer());
        assertEquals(200, viewer.get("/api/v1/module/upstream").statusCode());
        HttpResponse<String> denied = viewer.post("/api/v1/module/upstream", "{\"name\":\"viewer-made\"}");
        assertEquals(403, denied.statusCode());
        assertEquals("role viewer may not change the config; it needs an operator token",
                RestClient.json(denied).path("error").asText());
        assertEquals(403, rest.as(cluster.tokens().dataPlane()).get("/api/v1/nodes").statusCode());
        assertEquals(404, rest.get("/api/v1/module/upstream/viewer-made").statusCode());
    }

    @Test
    void staleIfMatchIs409AndStoresNothing() {
        HttpResponse<String> read = rest.get("/api/v1/module/upstream");
        long seen = RestClient.version(read);
        HttpResponse<String> first = rest.send("POST", "/api/v1/module/upstream", "{\"name\":\"cas1\"}", "\"" + seen + "\"");
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(version(), RestClient.version(first));
        HttpResponse<String> stale = rest.send("POST", "/api/v1/module/upstream", "{\"name\":\"cas2\"}", "\"" + seen + "\"");
        assertEquals(409, stale.statusCode(), stale.body());
        assertTrue(RestClient.json(stale).path("error").asText().startsWith("expected config version " + seen), stale.body());
        assertEquals(404, rest.get("/api/v1/module/upstream/cas2").statusCode());
        assertEquals(400, rest.send("POST", "/api/v1/module/upstream", "{\"name\":\"cas3\"}", "yesterday").statusCode());
    }

    @Test
    void aBadBodyIs400NamingTheFieldAndStoresNothing() {
        long before = version();
        assertError(400, "body.timeout: ", rest.post("/api/v1/module/server-group",
                "{\"name\":\"bad\",\"timeout\":\"soon\",\"period\":1000,\"up\":2,\"down\":3}"));
        assertError(400, "body: unknown key tmeout; allowed: timeout, period", rest.post("/api/v1/module/server-group",
                "{\"name\":\"bad\",\"tmeout\":500,\"period\":1000,\"up\":2,\"down\":3}"));
        assertError(400, "missing parameter timeout", rest.post("/api/v1/module/server-group",
                "{\"name\":\"bad\",\"period\":1000,\"up\":2,\"down\":3}"));
        assertError(400, "body.name is required", rest.post("/api/v1/module/server-group", "{\"timeout\":500}"));
        assertError(400, "body: not valid JSON", rest.post("/api/v1/module/server-group", "{\"name\":"));
        assertError(400, "body.method: ", rest.post("/api/v1/module/server-group",
                "{\"name\":\"bad\",\"timeout\":500,\"period\":1000,\"up\":2,\"down\":3,\"method\":\"fastest\"}"));
        assertError(404, "Cannot find server-group with name nowhere",
                rest.post("/api/v1/module/server-group/nowhere/server", "{\"name\":\"s1\",\"address\":\"127.0.0.1:1\"}"));
        assertEquals(before, version());
        assertEquals(404, rest.get("/api/v1/module/server-group/bad").statusCode());
    }

    @Test
    void createReadUpdateDeleteANestedServer() {
        assertEquals(201, rest.post("/api/v1/module/server-group",
                "{\"name\":\"crud\",\"timeout\":500,\"period\":1000,\"up\":2,\"down\":3,\"method\":\"wlc\"}").statusCode());
        assertEquals(201, rest.post("/api/v1/module/server-group/crud/server",
                "{\"name\":\"s1\",\"address\":\"127.0.0.1:7070\"}").statusCode());
        JsonNode group = RestClient.json(rest.get("/api/v1/module/server-group/crud"));
        assertEquals("wlc", group.path("method").asText());
        assertEquals(500, group.path("timeout").asInt());
        HttpResponse<String> updated = rest.put("/api/v1/module/server-group/crud/server/s1", "{\"weight\":5}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("update server s1 in server-group crud weight 5", RestClient.json(updated).path("command").asText());
        JsonNode server = RestClient.json(rest.get("/api/v1/module/server-group/crud/server/s1"));
        assertEquals(5, server.path("weight").asInt());
        assertEquals("127.0.0.1:7070", server.path("address").asText());
        assertError(400, "nothing to update", rest.put("/api/v1/module/server-group/crud/server/s1", "{}"));
        assertEquals(200, rest.delete("/api/v1/module/server-group/crud/server/s1").statusCode());
        assertEquals(404, rest.get("/api/v1/module/server-group/crud/server/s1").statusCode());
        assertError(405, "allowed: GET, PUT, DELETE", rest.post("/api/v1/module/server-group/crud", "{}"));
        assertError(404, "no route", rest.get("/api/v1/module/serverz"));
    }

    @Test
    void execApplyAndHistory() {
        HttpResponse<String> exec = rest.post("/api/v1/exec", "add upstream via-exec");
        assertEquals(200, exec.statusCode(), exec.body());
        assertEquals("OK", RestClient.json(exec).path("lines").get(0).asText());
        HttpResponse<String> list = rest.post("/api/v1/exec", "{\"text\":\"list upstream\"}");
        assertTrue(list.body().contains("via-exec"), list.body());
        String manifest = "apiVersion: fulcrum.io/v1\nkind: Upstream\nmetadata: {name: via-apply}\n";
        long before = version();
        HttpResponse<String> dry = rest.post("/api/v1/apply?dry_run=true", manifest);
        assertEquals(200, dry.statusCode(), dry.body());
        assertEquals("created", RestClient.json(dry).path("outcomes").get(0).path("result").asText(), dry.body());
        assertEquals(before, version());
        HttpResponse<String> applied = rest.post("/api/v1/apply", manifest);
        assertEquals(200, applied.statusCode(), applied.body());
        assertEquals(200, rest.get("/api/v1/module/upstream/via-apply").statusCode());
        assertError(400, "document 1: kind must be one of", rest.post("/api/v1/apply",
                "apiVersion: fulcrum.io/v1\nkind: Nope\nmetadata: {name: x}\n"));
        JsonNode history = RestClient.json(rest.get("/api/v1/history?limit=2"));
        assertEquals(2, history.path("entries").size(), history.toString());
        assertEquals("alice", history.path("entries").get(1).path("principal").asText(), history.toString());
        assertEquals("add upstream via-exec", history.path("entries").get(1).path("commandText").asText(), history.toString());
        assertEquals(200, rest.get("/api/v1/nodes").statusCode());
        assertEquals(200, rest.get("/api/v1/status").statusCode());
        assertEquals(200, rest.get("/api/v1/health").statusCode());
    }

    private static void assertError(int status, String message, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        String error = RestClient.json(response).path("error").asText();
        assertTrue(error.contains(message), "expected \"" + message + "\" in: " + error);
    }
}
