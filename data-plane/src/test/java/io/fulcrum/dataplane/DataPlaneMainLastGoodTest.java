package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.lifecycle.LastGood;
import io.fulcrum.dataplane.lifecycle.LastGoodStore;
import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.proto.v1.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The launcher with --control-plane and no control plane answering: what it does with its state directory. */
@Timeout(60)
class DataPlaneMainLastGoodTest {
    @TempDir
    Path dir;

    private final NamedServer backend = NamedServer.start("b1");
    private final StringWriter err = new StringWriter();
    private final DataPlaneMain main = new DataPlaneMain();
    private CompletableFuture<Integer> exit;

    @AfterEach
    void stop() throws Exception {
        if (exit != null) {
            main.stop();
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        }
        backend.close();
    }

    @Test
    void servesTheLastGoodConfigBeforeAnyControlPlaneAnswers() {
        int port = FreePorts.next();
        Config config = ConfigScript.parse("saved.conf", """
                add server-group g timeout 500 period 1000 up 1 down 1
                add server b1 to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(backend.address(), port), 12).toBuilder().setClusterId("c1").build();
        new LastGoodStore(dir.resolve("state"), Clock.systemUTC()).save(LastGood.of("dp1", config, 1_700_000_000_000L));

        DataPlane node = start();
        assertEquals(12, node.appliedVersion());
        assertEquals("b1", LineClient.whoAnswers(new InetSocketAddress("127.0.0.1", port)));
        String ready = get(node, "/ready");
        assertTrue(ready.startsWith("ready; ") && ready.contains("serving last-good config version 12 from disk (saved 2023-11-14T22:13:20Z); "
                + "no control plane reached yet"), ready);
        assertTrue(get(node, "/metrics").contains("fulcrum_lastgood_loaded_version 12.0"));
    }

    @Test
    void aCorruptFileIsAnEmptyStartAndIsKeptAside() throws IOException {
        Files.createDirectories(dir.resolve("state"));
        // the magic and format 1, then the file ends inside the header
        Files.write(dir.resolve("state").resolve("lastgood.pb"), new byte[] {'F', 'U', 'L', 'C', 'R', 'M', 'L', 'G', 0, 1, 0});

        DataPlane node = start();
        assertEquals(0, node.appliedVersion());
        assertEquals(List.of("no config applied yet"), node.unreadyReasons());
        try (Stream<Path> files = Files.list(dir.resolve("state"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(DataPlaneMain.TAKEOVER_SOCKET))
                    .toList();
            assertTrue(names.size() == 1 && names.get(0).startsWith("lastgood.pb.corrupt-"), names.toString());
        }
    }

    @Test
    void helpNamesTheStateDirectoryAndItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new DataPlaneMain());
        command.setOut(new PrintWriter(out, true));
        assertEquals(0, command.execute("--help"));
        assertTrue(out.toString().contains("--state-dir=DIR"), out.toString());
        assertTrue(out.toString().contains("Default: /var/lib/fulcrum/ID when"), out.toString());
    }

    private DataPlane start() {
        int deadPort = FreePorts.next(); // nothing listens: no control plane answers
        CommandLine command = new CommandLine(main);
        command.setErr(new PrintWriter(err, true));
        exit = CompletableFuture.supplyAsync(() -> command.execute("--id", "dp1", "--control-plane", "127.0.0.1:" + deadPort,
                "--token", "a-data-plane-token-for-tests", "--worker-loops", "1", "--admin", "127.0.0.1:0", "--state-dir", dir.resolve("state").toString()));
        Poll.until(Duration.ofSeconds(20), () -> main.dataPlane() != null || exit.isDone(), () -> "started: " + err);
        return main.dataPlane();
    }

    private static String get(DataPlane node, String path) {
        InetSocketAddress admin = node.adminAddress().orElseThrow();
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
