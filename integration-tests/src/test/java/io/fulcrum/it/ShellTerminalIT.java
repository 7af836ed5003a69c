package io.fulcrum.it;

import io.fulcrum.config.testing.Preconditions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The interactive fctl shell on a real terminal (tmux): a command typed, OK seen; Tab completes; Ctrl-C stops a watch. */
@Timeout(120)
class ShellTerminalIT {

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    private static String screen(String session) {
        try {
            return tmux("capture-pane", "-p", "-t", session);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCommandTypedInTheShellIsAnsweredOkAndTabCompletes(@TempDir Path dir) throws Exception {
        Preconditions.requireExecutable("/usr/bin/tmux", "apt-get install tmux");
        String session = "fctl-it-" + ProcessHandle.current().pid();
        try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 1)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "env HOME=" + dir + " FULCRUM_SERVER=" + cluster.leader().apiAddress() + " FULCRUM_TOKEN="
                    + cluster.tokens().operator() + " " + java + " -Duser.home=" + dir + " -cp '" + Launcher.classpath("ctl") + "' io.fulcrum.ctl.Fctl";
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "40", command);
            Poll.until(Duration.ofSeconds(30), "the prompt", () -> screen(session).contains("fctl>")); // capture-pane trims trailing spaces

            tmux("send-keys", "-t", session, "add upstream from-tmux", "Enter");
            Poll.until(Duration.ofSeconds(20), "OK", () -> screen(session).lines().anyMatch(l -> l.equals("OK")));

            tmux("send-keys", "-t", session, "list-deta", "Tab");
            Poll.until(Duration.ofSeconds(10), "completion", () -> screen(session).contains("fctl> list-detail"));
            tmux("send-keys", "-t", session, "upstream", "Enter");
            Poll.until(Duration.ofSeconds(20), "the list", () -> screen(session).lines().anyMatch(l -> l.equals("from-tmux")));

            // Ctrl-C stops a watch and the prompt comes back; the shell goes on
            tmux("send-keys", "-t", session, "watch --no-health", "Enter");
            Poll.until(Duration.ofSeconds(20), "the watch to start", () -> {
                cluster.clients().exec(cluster.leader().apiAddress(), cluster.tokens().operator(), "add upstream seen-by-watch-"
                        + System.nanoTime());
                return screen(session).contains("add upstream seen-by-watch-");
            });
            tmux("send-keys", "-t", session, "C-c", "");
            tmux("send-keys", "-t", session, "add upstream after-watch", "Enter");
            Poll.until(Duration.ofSeconds(20), "OK after the watch", () -> screen(session).lines().filter(l -> l.equals("OK"))
                    .count() == 2);

            tmux("send-keys", "-t", session, "exit", "Enter");
            Poll.until(Duration.ofSeconds(20), "the shell exits", () -> {
                try {
                    return !tmux("list-sessions").contains(session);
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            assertEquals(List.of("add upstream from-tmux", "list-detail upstream", "watch --no-health", "add upstream after-watch",
                    "exit"),
                    Files.readAllLines(dir.resolve(".fulcrum/fctl_history")).stream()
                            .map(l -> l.replaceFirst("^\\d+:", "")).toList(), "history is kept");
        } finally {
            tmux("kill-session", "-t", session);
        }
    }
}
