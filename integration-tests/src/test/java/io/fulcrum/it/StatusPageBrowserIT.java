package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser: a control-plane process serving the REST API, two data-plane
 * processes and a server group of two backends; headless Chromium shows both data planes and every
 * server UP, then, after one backend is killed, that server DOWN. Screenshots go to
 * integration-tests/target/status-page-*.png.
 */
@Timeout(300)
class StatusPageBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final Resources resources = new Resources();

    @AfterEach
    void stop() throws Exception {
        resources.close();
    }

    @Test
    void showsBothDataPlanesAndADownServerAfterItsBackendDies(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        String rest = "127.0.0.1:" + Ports.free();
        ProcessCluster cluster = resources.add(ProcessCluster.start(dir, 1, "--rest", rest));
        NamedServer alive = resources.add(NamedServer.start("alive"));
        NamedServer doomed = resources.add(NamedServer.start("doomed"));
        int front = Ports.free();
        long version = cluster.clients().config(cluster.api("cp1"), cluster.tokens().operator()).exec(ExecRequest.newBuilder()
                .setText(String.join("\n", "add server-group web timeout 300 period 300 up 1 down 1",
                        "add server alive to server-group web address " + alive.address(),
                        "add server doomed to server-group web address " + doomed.address(),
                        "add upstream u", "add server-group web to upstream u",
                        "add tcp-lb front address 127.0.0.1:" + front + " upstream u")).build()).getVersion();
        List<DataPlaneProcess> nodes = List.of(
                resources.add(DataPlaneProcess.start("dp1", dir, cluster.apis(), cluster.tokens().file(), null)),
                resources.add(DataPlaneProcess.start("dp2", dir, cluster.apis(), cluster.tokens().file(), null)));
        nodes.forEach(node -> cluster.awaitSynced(node, version));
        String url = "http://" + rest + "/status?token=" + cluster.tokens().viewer();

        String healthy = pollDom(chromium, url, "both data planes SYNCED and both servers UP on both", dom ->
                dom.contains("data-node=\"dp1\"") && dom.contains("data-node=\"dp2\"")
                        && count(dom, "data-state=\"SYNCED\"") == 2 && count(dom, "data-health=\"UP\"") == 6);
        assertTrue(healthy.contains("front"), "the listener is listed");
        assertTrue(healthy.contains("add tcp-lb front"), "the recent change is listed");
        // a connection held open through the listener shows in its row (heartbeats, replicated every 5 s)
        try (io.fulcrum.dataplane.testing.LineClient held = new io.fulcrum.dataplane.testing.LineClient(
                new java.net.InetSocketAddress("127.0.0.1", front))) {
            assertTrue(held.ask("hi") != null, "the held connection is relayed");
            pollDom(chromium, url, "the listener's row shows the open connection", dom -> dom.contains("data-open=\"1\""));
        }
        chromium.screenshot(url, 3000, target("status-page-healthy.png"));

        doomed.close();
        pollDom(chromium, url, "server doomed DOWN on both data planes", dom ->
                count(dom, "data-health=\"DOWN\"") == 3 && count(dom, "data-health=\"UP\"") == 3);
        chromium.screenshot(url, 3000, target("status-page-down.png"));
    }

    private static String pollDom(HeadlessChromium chromium, String url, String what, java.util.function.Predicate<String> shows) {
        AtomicReference<String> last = new AtomicReference<>("");
        return Poll.value(WAIT, () -> {
            String dom = chromium.dumpDom(url, 3000);
            last.set(dom);
            return shows.test(dom) ? dom : null;
        }, () -> what + "; the last DOM:\n" + last.get());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static Path target(String name) throws java.io.IOException {
        Path dir = Path.of(System.getProperty("fulcrum.root", ".."), "integration-tests", "target");
        Files.createDirectories(dir);
        return dir.resolve(name);
    }
}
