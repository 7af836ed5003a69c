package io.fulcrum.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.FreePorts;
import io.fulcrum.dataplane.testing.LineClient;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.proto.v1.Config;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The standalone launcher, run in-process: from a config file to traffic, reload, stop. */
@Timeout(60)
class DataPlaneMainTest {
    @TempDir
    Path dir;

    private final NamedServer b1 = NamedServer.start("b1");
    private final NamedServer b2 = NamedServer.start("b2");
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        b1.close();
        b2.close();
    }

    @Test
    void servesTheFileReloadsItWhenWatchedAndStopsCleanly() throws Exception {
        int port = FreePorts.next();
        Path file = dir.resolve("fulcrum.conf");
        Files.writeString(file, script(port, b1));
        DataPlaneMain main = new DataPlaneMain();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command(main).execute(
                "--id", "dp1", "--config", file.toString(), "--admin", "127.0.0.1:0", "--worker-loops", "1", "--watch"));
        Poll.until(Duration.ofSeconds(20), () -> main.dataPlane() != null || exit.isDone(), () -> "started: " + err);
        InetSocketAddress lb = new InetSocketAddress("127.0.0.1", port);
        assertEquals("b1", LineClient.whoAnswers(lb));
        assertEquals(1, main.dataPlane().appliedVersion());

        Files.writeString(file, "# now b2\n" + script(port, b2));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Poll.until(Duration.ofSeconds(10), () -> main.dataPlane().appliedVersion() == 2, "reloaded");
        assertEquals("b2", LineClient.whoAnswers(lb));

        main.stop();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        assertNull(main.dataPlane());
    }

    @Test
    void aBadFileExitsOneNamingTheLine() throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "add upstream u\nadd server-group g timeout 500 period 1000 up two down 3\n");
        int code = command(new DataPlaneMain()).execute("--id", "dp1", "--config", file.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("fulcrum data-plane: " + file + ": line 2: "), err.toString());
        assertTrue(err.toString().contains("up"), err.toString());
    }

    @Test
    void aConfigThatCannotBeAppliedExitsOne() throws Exception {
        Path file = dir.resolve("http.conf");
        int port = FreePorts.next();
        Files.writeString(file, script(port, b1).replace(port + " upstream u\n", port + " upstream u protocol http "
                + "annotations {\"fulcrum/http-access-log\":\"/nonexistent-dir/access.log\"}\n"));
        int code = command(new DataPlaneMain()).execute("--id", "dp1", "--config", file.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("cannot open access log /nonexistent-dir/access.log"), err.toString());
    }

    @Test
    void missingOptionsAreAUsageError() {
        assertEquals(2, command(new DataPlaneMain()).execute("--id", "dp1"));
        assertTrue(err.toString().contains("--config"), err.toString());
    }

    @Test
    void configScriptsEmptyOrQueries() {
        Config empty = ConfigScript.parse("empty.conf", "# nothing yet\n\n", 3);
        assertEquals(3, empty.getVersion());
        assertEquals(0, empty.getTcpLbsCount());
        ConfigScript.InvalidConfigFileException query = assertThrows(ConfigScript.InvalidConfigFileException.class,
                () -> ConfigScript.parse("q.conf", "list tcp-lb", 1));
        assertTrue(query.getMessage().startsWith("q.conf: "), query.getMessage());
    }

    private CommandLine command(DataPlaneMain main) {
        CommandLine command = new CommandLine(main);
        command.setErr(new PrintWriter(err, true));
        command.setOut(new PrintWriter(new StringWriter(), true));
        return command;
    }

    private static String script(int port, NamedServer backend) {
        return """
                # a data plane on its own
                add server-group g timeout 500 period 1000 up 1 down 1
                add server %s to server-group g address %s
                add upstream u
                add server-group g to upstream u
                add tcp-lb lb0 address 127.0.0.1:%d upstream u
                """.formatted(backend.name(), backend.address(), port);
    }
}
