package io.fulcrum.controlplane.api.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.RestClient;
import io.fulcrum.controlplane.testing.Seed000;
import io.fulcrum.controlplane.testing.TestCluster;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000 (the vproxy walkthrough) and seed 004's two-host setup, done through HTTP alone on a
 * follower of a three-member cluster, end in the same config (as a rendered script) as the same
 * commands run through Exec, the way fctl runs them.
 */
@Timeout(120)
class RestSeedWalkthroughTest {
    private static final String SEED_004 = String.join("\n",
            "add server-group backend1 timeout 2000 period 3000 up 2 down 3 protocol tcp",
            "add server s10001 to server-group backend1 address 127.0.0.1:10001",
            "add server-group backend2 timeout 2000 period 3000 up 2 down 3 protocol http annotations {\"fulcrum/hc-http-uri\":\"/ping\"}",
            "add server s10001 to server-group backend2 address 127.0.0.1:10001 weight 10",
            "add server s10002 to server-group backend2 address 127.0.0.1:10002 weight 1",
            "add upstream balancer",
            "add server-group backend1 to upstream balancer annotations {\"fulcrum/hint-host\":\"www.test1.com\"}",
            "add server-group backend2 to upstream balancer annotations {\"fulcrum/hint-host\":\"www.test2.com\"}",
            "add tcp-lb openresty address 127.0.0.1:10080 upstream balancer protocol http");

    @Test
    void seed000AndSeed004ThroughHttpEqualTheSameThroughExec(@TempDir Path dir) {
        try (TestCluster viaHttp = TestCluster.start(dir.resolve("http"), 3, b -> b.rest(Ports.loopback()));
                TestCluster viaExec = TestCluster.start(dir.resolve("exec"), 1)) {
            RestClient rest = new RestClient(viaHttp.follower().restAddress(), viaHttp.tokens().operator());
            String exec = viaExec.leader().apiAddress();
            String token = viaExec.tokens().operator();

            seed000(rest);
            for (String command : Seed000.commands()) {
                viaExec.clients().exec(exec, token, command);
            }
            assertSameConfig(viaHttp, viaExec);

            seed004(rest);
            viaExec.clients().exec(exec, token, SEED_004);
            assertSameConfig(viaHttp, viaExec);
        }
    }

    private static void seed000(RestClient rest) {
        created(rest, "/api/v1/module/event-loop-group", "{\"name\":\"acceptor\"}");
        created(rest, "/api/v1/module/event-loop-group", "{\"name\":\"worker\"}");
        created(rest, "/api/v1/module/event-loop-group/acceptor/event-loop", "{\"name\":\"acceptor1\"}");
        for (int i = 1; i <= 4; i++) {
            created(rest, "/api/v1/module/event-loop-group/worker/event-loop", "{\"name\":\"worker" + i + "\"}");
        }
        created(rest, "/api/v1/module/server-group", "{\"name\":\"ngx\",\"timeout\":500,\"period\":1000,\"up\":2,\"down\":3,"
                + "\"method\":\"wrr\",\"eventLoopGroup\":\"worker\"}");
        for (int i = 1; i <= 3; i++) {
            created(rest, "/api/v1/module/server-group/ngx/server", "{\"name\":\"backend" + i
                    + "\",\"address\":\"127.0.0.1:2008" + i + "\",\"weight\":10}");
        }
        HttpResponse<String> servers = rest.get("/api/v1/module/server-group/ngx/server");
        assertEquals(200, servers.statusCode(), servers.body());
        assertEquals(3, RestClient.json(servers).size(), servers.body());
        created(rest, "/api/v1/module/upstream", "{\"name\":\"backend-groups\"}");
        created(rest, "/api/v1/module/upstream/backend-groups/server-group", "{\"name\":\"ngx\"}");
        created(rest, "/api/v1/module/tcp-lb", "{\"name\":\"lb0\",\"acceptorElg\":\"acceptor\",\"eventLoopGroup\":\"worker\","
                + "\"address\":\"127.0.0.10:20080\",\"upstream\":\"backend-groups\",\"inBufferSize\":16384,\"outBufferSize\":16384}");
    }

    private static void seed004(RestClient rest) {
        created(rest, "/api/v1/module/server-group", "{\"name\":\"backend1\",\"timeout\":2000,\"period\":3000,\"up\":2,"
                + "\"down\":3,\"protocol\":\"tcp\"}");
        created(rest, "/api/v1/module/server-group/backend1/server", "{\"name\":\"s10001\",\"address\":\"127.0.0.1:10001\"}");
        created(rest, "/api/v1/module/server-group", "{\"name\":\"backend2\",\"timeout\":2000,\"period\":3000,\"up\":2,"
                + "\"down\":3,\"protocol\":\"http\",\"annotations\":{\"fulcrum/hc-http-uri\":\"/ping\"}}");
        created(rest, "/api/v1/module/server-group/backend2/server",
                "{\"name\":\"s10001\",\"address\":\"127.0.0.1:10001\",\"weight\":10}");
        created(rest, "/api/v1/module/server-group/backend2/server",
                "{\"name\":\"s10002\",\"address\":\"127.0.0.1:10002\",\"weight\":1}");
        created(rest, "/api/v1/module/upstream", "{\"name\":\"balancer\"}");
        for (int host = 1; host <= 2; host++) {
            created(rest, "/api/v1/module/upstream/balancer/server-group", "{\"name\":\"backend" + host
                    + "\",\"annotations\":{\"fulcrum/hint-host\":\"www.test" + host + ".com\"}}");
        }
        created(rest, "/api/v1/module/tcp-lb", "{\"name\":\"openresty\",\"address\":\"127.0.0.1:10080\","
                + "\"upstream\":\"balancer\",\"protocol\":\"http\"}");
    }

    private static void created(RestClient rest, String path, String body) {
        HttpResponse<String> response = rest.post(path, body);
        assertEquals(201, response.statusCode(), path + " " + body + " -> " + response.body());
        assertTrue(RestClient.version(response) > 0, response.headers().toString());
    }

    private static void assertSameConfig(TestCluster viaHttp, TestCluster viaExec) {
        viaHttp.awaitConverged();
        assertEquals(render(viaExec.leader()), render(viaHttp.leader()));
    }

    private static List<String> render(ControlPlaneNode node) {
        return ScriptWriter.render(node.state().model().toProto());
    }
}
