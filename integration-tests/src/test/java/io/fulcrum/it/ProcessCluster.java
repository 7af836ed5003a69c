package io.fulcrum.it;

import io.fulcrum.controlplane.testing.Clients;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.Tokens;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.StatusRequest;
import io.fulcrum.proto.v1.StatusResponse;
import io.fulcrum.proto.v1.SyncState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

/** Control-plane members as real processes (bin/fulcrum control-plane's main class) on loopback. */
final class ProcessCluster implements AutoCloseable {
    private final Path dir;
    private final Tokens tokens;
    private final Map<String, String> raft = new LinkedHashMap<>();
    private final Map<String, String> api = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Clients clients = new Clients();
    private final List<String> extraArgs;
    private final String apiHost;
    private final Namespace namespace;
    /** Members each in a host of their own (their Raft and API on its address); empty otherwise. */
    private final Map<String, Namespace> hosts = new LinkedHashMap<>();

    private ProcessCluster(Path dir, String apiHost, List<String> extraArgs, Namespace namespace) {
        this.dir = dir;
        this.tokens = Tokens.write(dir);
        this.apiHost = apiHost;
        this.extraArgs = extraArgs;
        this.namespace = namespace;
    }

    static ProcessCluster start(Path dir, int size, String... extraArgs) {
        return startOn("127.0.0.1", dir, size, extraArgs);
    }

    /** @param apiHost where the APIs bind: 0.0.0.0 makes them reachable from other network namespaces */
    static ProcessCluster startOn(String apiHost, Path dir, int size, String... extraArgs) {
        return start(new ProcessCluster(dir, apiHost, List.of(extraArgs), null), size);
    }

    /**
     * Every member inside {@code namespace}, Raft on its loopback, the APIs on all its addresses:
     * clients (this test, data planes) use the namespace's address.
     */
    static ProcessCluster startIn(Namespace namespace, Path dir, int size, String... extraArgs) {
        return start(new ProcessCluster(dir, "0.0.0.0", List.of(extraArgs), namespace), size);
    }

    /**
     * Member {@code cp<i+1>} inside {@code hosts.get(i)}, with its Raft and API on that host's
     * address: traffic between members crosses the hosts' links, so a test can partition them.
     */
    static ProcessCluster startOnHosts(List<? extends Namespace> hosts, Path dir, String... extraArgs) {
        ProcessCluster cluster = new ProcessCluster(dir, null, List.of(extraArgs), null);
        for (int i = 0; i < hosts.size(); i++) {
            String id = "cp" + (i + 1);
            cluster.hosts.put(id, hosts.get(i));
            cluster.raft.put(id, hosts.get(i).innerAddress() + ":" + Ports.free());
            cluster.api.put(id, hosts.get(i).innerAddress() + ":" + Ports.free());
        }
        cluster.raft.keySet().forEach(cluster::start);
        cluster.awaitReady();
        return cluster;
    }

    /** The host member {@code id} runs in (startOnHosts only). */
    Namespace host(String id) {
        return hosts.get(id);
    }

    private static ProcessCluster start(ProcessCluster cluster, int size) {
        String clientHost = cluster.namespace == null ? "127.0.0.1" : cluster.namespace.innerAddress();
        for (int i = 1; i <= size; i++) {
            cluster.raft.put("cp" + i, Ports.loopback());
            cluster.api.put("cp" + i, clientHost + ":" + Ports.free());
        }
        cluster.raft.keySet().forEach(cluster::start);
        cluster.awaitReady();
        return cluster;
    }

    void start(String id) {
        Namespace in = hosts.getOrDefault(id, namespace);
        String bind = hosts.containsKey(id) ? api.get(id) : apiHost + ":" + apiPort(id);
        List<String> args = new ArrayList<>(List.of("--id", id, "--data-dir", dir.resolve(id).toString(),
                "--raft", raft.get(id), "--api", bind, "--auth-file", tokens.file().toString(),
                "--peers", String.join(",", raft.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
        args.addAll(extraArgs);
        processes.put(id, Launcher.start("control-plane", "io.fulcrum.controlplane.ControlPlaneMain", args,
                dir.resolve(id + ".log"), in == null ? List.of() : in.wrap(List.of())));
    }

    /** The process id of running member {@code id}. */
    long pid(String id) {
        return processes.get(id).pid();
    }

    /** kill -9. */
    void kill(String id) {
        Process process = processes.remove(id);
        process.destroyForcibly();
        waitFor(process);
    }

    /** SIGTERM and wait for a clean exit; the exit status (-1 if it had to be killed after 30 s). */
    int stop(String id) {
        Process process = processes.remove(id);
        process.destroy();
        waitFor(process);
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGTERM; returns at once with the process, which the cluster no longer counts as running. */
    Process terminate(String id) {
        Process process = processes.remove(id);
        process.destroy();
        return process;
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    StatusResponse status(String id) {
        return clients.cluster(api.get(id), tokens.viewer()).status(StatusRequest.getDefaultInstance());
    }

    /** The leader's id, as the running members agree on it. */
    String leader() {
        return Poll.value(Duration.ofSeconds(30), "a leader", () -> {
            for (String id : processes.keySet()) {
                StatusResponse status = status(id);
                if (!status.getLeaderId().isEmpty() && processes.containsKey(status.getLeaderId())
                        && status(status.getLeaderId()).getRole().equals("LEADER")) {
                    return status.getLeaderId();
                }
            }
            return null;
        });
    }

    String follower() {
        String leader = leader();
        return processes.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    void awaitReady() {
        try {
            pollReady();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + logs(), e.getCause());
        }
    }

    private void pollReady() {
        Poll.until(Duration.ofSeconds(60), "process cluster ready", () -> {
            String leader = leader();
            return processes.keySet().stream().allMatch(id -> {
                StatusResponse status = status(id);
                return !status.getClusterId().isEmpty() && status.getLeaderId().equals(leader)
                        && status.getMembersList().stream().allMatch(m -> !m.getApiAddress().isEmpty());
            });
        });
    }

    List<String> running() {
        return List.copyOf(processes.keySet());
    }

    /** The address a client on this host uses for member {@code id}'s API. */
    /**
     * Waits (60 s) until {@code node} applied {@code version} and the cluster lists it SYNCED on
     * that version.
     */
    void awaitSynced(DataPlaneProcess node, long version) {
        Poll.until(Duration.ofSeconds(60), node.id() + " SYNCED on version " + version, () -> {
            if (node.configVersion() != version) {
                return false;
            }
            DataPlaneNode listed = clients().cluster(api("cp1"), tokens().viewer())
                    .nodes(NodesRequest.getDefaultInstance()).getNodesList().stream()
                    .filter(n -> n.getNodeId().equals(node.id())).findFirst().orElse(null);
            return listed != null && listed.getState() == SyncState.SYNC_STATE_SYNCED && listed.getAppliedVersion() == version;
        });
    }

    /** Runs {@code text} on whichever member answers, retrying with one request id until one does (40 s). */
    ExecResponse exec(String text) {
        ExecRequest request = ExecRequest.newBuilder().setText(text).setRequestId(UUID.randomUUID().toString()).build();
        return Poll.value(Duration.ofSeconds(40), "the cluster takes: " + text, () -> {
            for (String id : running()) {
                try {
                    return clients.config(api(id), tokens.operator()).exec(request);
                } catch (RuntimeException unavailable) {
                    // the next member, or the next round
                }
            }
            return null;
        });
    }

    /** The data planes as the first member that answers lists them, by node id; empty when none answers. */
    Map<String, DataPlaneNode> nodes() {
        for (String id : running()) {
            try {
                return clients.cluster(api(id), tokens.viewer()).nodes(NodesRequest.getDefaultInstance())
                        .getNodesList().stream().collect(Collectors.toMap(DataPlaneNode::getNodeId, n -> n));
            } catch (RuntimeException unavailable) {
                // next member
            }
        }
        return Map.of();
    }

    String api(String id) {
        return api.get(id);
    }

    int apiPort(String id) {
        String address = api.get(id);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Every member's API address for a client on this host. */
    List<String> apis() {
        return List.copyOf(api.values());
    }

    Path dir() {
        return dir;
    }

    Tokens tokens() {
        return tokens;
    }

    Clients clients() {
        return clients;
    }

    /** The tail of every member's log, for failure messages. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (String id : raft.keySet()) {
            Path log = dir.resolve(id + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("\n--- ").append(id).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        clients.close();
        for (String id : List.copyOf(processes.keySet())) {
            stop(id);
        }
    }
}
