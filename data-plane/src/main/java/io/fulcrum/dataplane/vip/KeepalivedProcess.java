package io.fulcrum.dataplane.vip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keepalived process (VRRP only, in the foreground), its output appended to
 * {@code keepalived.log} in the state directory. It is started through {@code setpriv --pdeathsig
 * TERM}, so that the kernel sends it SIGTERM when the thread that started it dies, which is when
 * the data plane dies, even by kill -9: keepalived then gives the address up and tells the backups
 * at once (priority 0), instead of holding the VIP for a node that no longer serves. So the thread
 * calling {@link #start()} must live as long as the data plane. Not thread-safe: one owner.
 */
final class KeepalivedProcess {
    private static final Logger log = LoggerFactory.getLogger(KeepalivedProcess.class);

    private final String binary;
    private final Path config;
    private final Path dir;
    private Process process;

    KeepalivedProcess(String binary, Path config, Path dir) {
        this.binary = binary;
        this.config = config;
        this.dir = dir;
    }

    /** Starts keepalived with the config file as it is now; first stops one a previous run left behind. */
    void start() throws IOException {
        stopLeftover();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "TERM", "--"));
        } else {
            log.warn("setpriv (util-linux) not found: keepalived would outlive a data plane killed with -9");
        }
        command.addAll(List.of(binary, "--dont-fork", "--log-console", "--no-syslog", "--vrrp", "--use-file", config.toString(),
                "--pid", pidFile().toString(), "--vrrp_pid", dir.resolve("keepalived-vrrp.pid").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("keepalived.log").toFile())).start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The exit code of a keepalived that ended, or -1 while it runs or before it started. */
    int exitCode() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    /** Forgets a keepalived that exited (so {@link #exitCode()} reports the next one). */
    void forget() {
        process = null;
    }

    /** Re-reads the config file (SIGHUP): only when the VIPs or their members changed (a reload can make a master flap). */
    void reload() throws IOException {
        if (!alive()) {
            return;
        }
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).redirectErrorStream(true).start();
        try {
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (keepalived gives its addresses up and sends priority 0), then SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("keepalived did not stop within {} ms: killing it", grace.toMillis());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private Path pidFile() {
        return dir.resolve("keepalived.pid");
    }

    /** A keepalived of this state directory still running (its data plane died and it did not): stop it. */
    private void stopLeftover() {
        try {
            if (!Files.exists(pidFile())) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(config.toString())).orElse(false))
                    .ifPresent(p -> {
                        log.warn("stopping keepalived {} left behind by an earlier run", pid);
                        p.destroy();
                        p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
                    });
        } catch (IOException | NumberFormatException e) {
            // no usable pid file: nothing to stop
        }
    }
}
