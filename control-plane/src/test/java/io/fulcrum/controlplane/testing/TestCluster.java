package io.fulcrum.controlplane.testing;

import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.ControlPlaneSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Control-plane nodes in this JVM on loopback with free ports, short election timeouts and their
 * own directories; nodes can be stopped, wiped and restarted with the same addresses.
 */
public final class TestCluster implements AutoCloseable {
    public static final Duration READY = Duration.ofSeconds(30);

    private final Path dir;
    private final Tokens tokens;
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final Map<String, String> apis = new LinkedHashMap<>();
    private final Map<String, ControlPlaneNode> running = new LinkedHashMap<>();
    private final Clients clients = new Clients();
    private final UnaryOperator<ControlPlaneSettings.Builder> customizer;

    private TestCluster(Path dir, UnaryOperator<ControlPlaneSettings.Builder> customizer) {
        this.dir = dir;
        this.tokens = Tokens.write(dir);
        this.customizer = customizer;
    }

    /** Starts {@code size} members cp1..cpN and waits until the cluster is ready. */
    public static TestCluster start(Path dir, int size) {
        return start(dir, size, UnaryOperator.identity());
    }

    /** As {@link #start(Path, int)}, with extra settings for every member (TLS, say). */
    public static TestCluster start(Path dir, int size, UnaryOperator<ControlPlaneSettings.Builder> customizer) {
        TestCluster cluster = new TestCluster(dir, customizer);
        for (int i = 1; i <= size; i++) {
            cluster.peers.put("cp" + i, Ports.loopback());
            cluster.apis.put("cp" + i, Ports.loopback());
        }
        for (String id : List.copyOf(cluster.peers.keySet())) {
            cluster.start(id);
        }
        cluster.awaitReady();
        return cluster;
    }

    public ControlPlaneSettings settings(String id, boolean join) {
        return customizer.apply(ControlPlaneSettings.builder(id, dir.resolve(id)).raft(peers.get(id)).api(apis.get(id))
                .peers(join ? Map.of() : initialPeers()).join(join).authFile(tokens.file())
                .election(500, 300).fsync(false)).build();
    }

    private Map<String, String> initialPeers() {
        Map<String, String> initial = new LinkedHashMap<>();
        peers.forEach((id, address) -> {
            if (!id.startsWith("new-")) {
                initial.put(id, address);
            }
        });
        return initial;
    }

    /** (Re)starts member {@code id} with its original addresses and directory. */
    public ControlPlaneNode start(String id) {
        ControlPlaneNode node = ControlPlaneNode.start(settings(id, id.startsWith("new-")));
        running.put(id, node);
        return node;
    }

    /** Starts a member that is not in the initial configuration; it waits to be added. */
    public ControlPlaneNode startJoining(String id) {
        peers.put(id, Ports.loopback());
        apis.put(id, Ports.loopback());
        return start(id);
    }

    public void stop(String id) {
        ControlPlaneNode node = running.remove(id);
        if (node != null) {
            node.close();
        }
    }

    /** Deletes a stopped member's directory: its log, snapshots and metadata. */
    public void wipe(String id) {
        if (running.containsKey(id)) {
            throw new IllegalStateException("stop " + id + " first");
        }
        try (Stream<Path> files = Files.walk(dir.resolve(id))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ControlPlaneNode node(String id) {
        return running.get(id);
    }

    public List<ControlPlaneNode> nodes() {
        return new ArrayList<>(running.values());
    }

    public String raftAddress(String id) {
        return peers.get(id);
    }

    public String api(String id) {
        return apis.get(id);
    }

    public ControlPlaneNode leader() {
        return Poll.value(READY, "a leader", () -> running.values().stream().filter(n -> n.raft().isLeader())
                .findFirst().orElse(null));
    }

    public ControlPlaneNode follower() {
        ControlPlaneNode leader = leader();
        return running.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
    }

    /** A leader, the cluster bootstrapped on every running member, every member's API address known. */
    public void awaitReady() {
        Poll.until(READY, "cluster ready", () -> {
            ControlPlaneNode leader = leader();
            return running.values().stream().allMatch(n -> !n.state().bootstrap().getClusterId().isEmpty()
                    && n.state().members().keySet().containsAll(running.keySet()))
                    && leader.raft().peers().size() >= running.size();
        });
    }

    /** Every running member applied the same entries and holds the same config. */
    public void awaitConverged() {
        try {
            pollConverged();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + describe(), e.getCause());
        }
    }

    /** Each running member's role, indexes and config version, for failure messages. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (ControlPlaneNode n : running.values()) {
            out.append(n.id()).append(": ").append(n.raft().role()).append(" commit ").append(n.raft().commitIndex())
                    .append(" applied ").append(n.raft().appliedIndex()).append(" version ")
                    .append(n.state().model().version()).append(" peers ").append(n.raft().peers())
                    .append(" members ").append(n.state().members().keySet())
                    .append(" same-config ").append(n.state().model().toProto().equals(leader().state().model().toProto()))
                    .append("; ");
        }
        return out.toString();
    }

    private void pollConverged() {
        Poll.until(READY, "members converged", () -> {
            long commit = leader().raft().commitIndex();
            var config = leader().state().model().toProto();
            return running.values().stream().allMatch(n -> n.raft().appliedIndex() >= commit
                    && n.state().model().toProto().equals(config));
        });
    }

    public Tokens tokens() {
        return tokens;
    }

    public Clients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.close();
        for (String id : List.copyOf(running.keySet())) {
            stop(id);
        }
    }
}
