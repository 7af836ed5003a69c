package io.fulcrum.dataplane.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.dataplane.testing.Scripts;
import io.prometheus.metrics.core.metrics.Gauge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AdminEndpointTest {
    private final NamedServer backend = NamedServer.start("b1");
    private final DataPlane node = DataPlane.start(DataPlaneOptions.builder("dp1").workerLoops(1)
            .adminAddress(new InetSocketAddress("127.0.0.1", 0)).build());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        node.close();
        backend.close();
    }

    @Test
    void healthzReadyAndMetrics() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        HttpResponse<String> notReady = get("/ready");
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready: no config applied yet\n", notReady.body());

        int port = FreePorts.next();
        node.apply(Scripts.config("""
                add server-group ngx timeout 500 period 200 up 1 down 1
                add server b1 to server-group ngx address %s
                add upstream u
                add server-group ngx to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(backend.address(), port), 7));
        assertEquals(200, get("/ready").statusCode());
        Poll.until(Duration.ofSeconds(5), () -> node.health().find("ngx", "b1").orElseThrow().getStateValue() == 1, "UP");
        LineClient.whoAnswers(new InetSocketAddress("127.0.0.1", port));
        Poll.until(Duration.ofSeconds(5), () -> node.openConnections() == 0, "connection closed");

        String metrics = get("/metrics").body();
        String server = "address=\"" + backend.address() + "\",group=\"ngx\",server=\"b1\"";
        assertTrue(metrics.contains("fulcrum_config_version 7.0"), metrics);
        assertTrue(metrics.contains("fulcrum_listener_connections_total{listener=\"lb0\"} 1.0"), metrics);
        assertTrue(metrics.contains("fulcrum_listener_connections_open{listener=\"lb0\"} 0.0"), metrics);
        assertTrue(metrics.contains("fulcrum_server_connections_total{" + server + "} 1.0"), metrics);
        assertTrue(metrics.contains("fulcrum_server_health_state{" + server + "} 1.0"), metrics);
        assertTrue(metrics.contains("fulcrum_listener_bytes_total{direction=\"in\",listener=\"lb0\"} 6.0"), metrics);
        assertTrue(metrics.contains("fulcrum_listener_bytes_total{direction=\"out\",listener=\"lb0\"} 9.0"), metrics);
        assertTrue(metrics.contains("fulcrum_connect_failures_total{" + server + "} 0.0"), metrics);
        assertTrue(metrics.contains("fulcrum_security_denied_total{listener=\"lb0\"} 0.0"), metrics);
    }

    @Test
    void otherComponentsAddReadinessChecksAndMetrics() throws Exception {
        node.apply(Scripts.config("", 1));
        assertEquals(200, get("/ready").statusCode());
        AtomicReference<String> sync = new AtomicReference<>("not connected to the control plane");
        node.addReadinessCheck(sync::get);
        HttpResponse<String> notReady = get("/ready");
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready: not connected to the control plane\n", notReady.body());
        sync.set(null);
        assertEquals(200, get("/ready").statusCode());

        Gauge lag = Gauge.builder().name("fulcrum_sync_lag_versions").help("versions behind").register(node.metrics());
        lag.set(3);
        assertTrue(get("/metrics").body().contains("fulcrum_sync_lag_versions 3.0"));
    }

    @Test
    void twoNodesHaveSeparateRegistries() {
        try (DataPlane other = DataPlane.start(DataPlaneOptions.builder("dp2").workerLoops(1).build())) {
            other.apply(Scripts.config("", 5));
            assertEquals(5, other.appliedVersion());
            assertEquals(0, node.appliedVersion());
            assertTrue(node.metrics() != other.metrics());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + node.adminAddress().orElseThrow().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
