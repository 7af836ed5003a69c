package io.fulcrum.it;

import io.fulcrum.controlplane.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A data-plane node as a real process following the control plane (bin/fulcrum data-plane's main class). */
final class DataPlaneProcess implements AutoCloseable {
    private static final Pattern APPLIED = Pattern.compile("config version (\\d+) applied");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String id;
    private final Path log;
    private final String adminAddress;
    private final List<String> args;
    private final Namespace namespace;
    private final Process process;

    private DataPlaneProcess(String id, Path log, String adminAddress, List<String> args, Namespace namespace) {
        this.id = id;
        this.log = log;
        this.adminAddress = adminAddress;
        this.args = List.copyOf(args);
        this.namespace = namespace;
        this.process = Launcher.start("data-plane", "io.fulcrum.dataplane.DataPlaneMain", args, log,
                namespace == null ? List.of() : namespace.wrap(List.of()));
    }

    /**
     * Starts a node whose state directory (its last-good config) is {@code dir/ID-state}.
     *
     * @param namespace null: this host's network; else the node runs inside it and its admin
     *                  endpoint is reached through the namespace's address
     */
    static DataPlaneProcess start(String id, Path dir, List<String> controlPlanes, Path tokenFile, Namespace namespace) {
        return start(id, dir, controlPlanes, tokenFile, namespace, List.of());
    }

    /** As above, with {@code extraArgs} appended to the command line (e.g. --drain-timeout 2s). */
    static DataPlaneProcess start(String id, Path dir, List<String> controlPlanes, Path tokenFile, Namespace namespace,
            List<String> extraArgs) {
        int adminPort = Ports.free();
        List<String> args = new ArrayList<>(List.of("--id", id, "--control-plane", String.join(",", controlPlanes),
                "--token-file", tokenFile.toString(), "--admin", "0.0.0.0:" + adminPort, "--worker-loops", "1",
                "--state-dir", dir.resolve(id + "-state").toString()));
        args.addAll(extraArgs);
        String admin = (namespace == null ? "127.0.0.1" : namespace.innerAddress()) + ":" + adminPort;
        return new DataPlaneProcess(id, dir.resolve(id + ".log"), admin, args, namespace);
    }

    /** The same node started again with the same flags (after {@link #kill()}); its log is {@code ID-N.log}. */
    DataPlaneProcess restart() {
        String name = log.getFileName().toString();
        Matcher m = Pattern.compile("-(\\d+)\\.log$").matcher(name);
        int next = m.find() ? Integer.parseInt(m.group(1)) + 1 : 2;
        return new DataPlaneProcess(id, log.resolveSibling(id + "-" + next + ".log"), adminAddress, args, namespace);
    }

    /**
     * A new process of the same node, with the same flags and {@code --takeover}: it takes this
     * one's listening sockets and config, and this one drains and exits. Its log is {@code ID-N.log}.
     */
    DataPlaneProcess takeOver() {
        String name = log.getFileName().toString();
        Matcher m = Pattern.compile("-(\\d+)\\.log$").matcher(name);
        int next = m.find() ? Integer.parseInt(m.group(1)) + 1 : 2;
        List<String> withTakeover = new ArrayList<>(args);
        withTakeover.remove("--takeover");
        withTakeover.add("--takeover");
        return new DataPlaneProcess(id, log.resolveSibling(id + "-" + next + ".log"), adminAddress, withTakeover, namespace);
    }

    /** kill -9, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String id() {
        return id;
    }

    /** GET an admin path; null if the node does not answer. */
    String admin(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + adminAddress + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The value of an unlabelled metric (or the first series of a labelled one matching {@code labels}). */
    double metric(String name, String labels) {
        String body = admin("/metrics");
        if (body == null) {
            return Double.NaN;
        }
        for (String line : body.lines().toList()) {
            if (line.startsWith(name + (labels.isEmpty() ? " " : "{")) && line.contains(labels)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    long configVersion() {
        double version = metric("fulcrum_config_version", "");
        return Double.isNaN(version) ? -1 : (long) version;
    }

    /** Every version this process of the node applied, in order, from its log. */
    List<Long> appliedVersions() {
        try {
            List<Long> versions = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = APPLIED.matcher(line);
                if (m.find()) {
                    versions.add(Long.parseLong(m.group(1)));
                }
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM (the node drains); returns at once. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; its exit status, or -1 if it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
