package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.model.DiscoveryRules;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.ControlPlaneNode;
import io.fulcrum.controlplane.testing.Dnsmasq;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.controlplane.testing.TestCluster;
import io.fulcrum.dataplane.DataPlane;
import io.fulcrum.dataplane.DataPlaneOptions;
import io.fulcrum.dataplane.sync.SyncClient;
import io.fulcrum.dataplane.sync.SyncSettings;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 001 with real processes around an in-JVM cluster: two (then three) redis-server backends
 * registered in "Consul" (dnsmasq answering SRV with TTL 0 on a free loopback port), a
 * three-member control plane whose leader resolves them, two data planes with a tcp-lb in front.
 *
 * <p>The DNS outage lasts {@code -Dfulcrum.it.dnsOutageSeconds} (default 5, i.e. five intervals;
 * the minute with 60).
 */
@Timeout(180)
class DiscoveryIT {
    private static final String SRV = "redis.service.yunlu_office.consul";
    private static final int INTERVAL_MS = 1000;
    private static final int HOLD_EMPTY_MS = 4000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final Resources resources = new Resources();
    private TestCluster cluster;
    private Dnsmasq dns;
    private final List<RedisBackend> redis = new ArrayList<>();
    private final List<DataPlane> dataPlanes = new ArrayList<>();

    @BeforeEach
    void start() {
        Dnsmasq.require();
        RedisBackend.require();
        for (int i = 0; i < 3; i++) {
            redis.add(resources.add(RedisBackend.start(dir)));
        }
        dns = resources.add(Dnsmasq.start(dir, records(redis.get(0), redis.get(1))));
        cluster = resources.add(TestCluster.start(dir, 3));
        List<String> apis = cluster.nodes().stream().map(ControlPlaneNode::apiAddress).toList();
        for (String id : List.of("dp1", "dp2")) {
            DataPlane dataPlane = resources.add(DataPlane.start(DataPlaneOptions.builder(id).workerLoops(1).build()));
            dataPlanes.add(dataPlane);
            resources.add(SyncClient.start(dataPlane, SyncSettings.of(apis, cluster.tokens().dataPlane()), Clock.systemUTC(),
                    new Random(id.hashCode())));
        }
        String listener = "127.0.0.1:" + Ports.free();
        for (String command : List.of(
                "add server-group redis timeout 300 period 200 up 1 down 2 discovery srv:" + SRV
                        + " discovery-resolver " + dns.address() + " discovery-interval " + INTERVAL_MS
                        + " discovery-timeout 300 discovery-hold-empty " + HOLD_EMPTY_MS,
                "add upstream backend", "add server-group redis to upstream backend",
                "add tcp-lb lb0 address " + listener + " upstream backend")) {
            exec(command);
        }
    }

    @AfterEach
    void stop() throws Exception {
        resources.close();
    }

    /** Seed 001's SRV answer for {@code backends}: one target per redis, each with an A record in the additional section. */
    private static List<String> records(RedisBackend... backends) {
        List<String> lines = new ArrayList<>();
        for (RedisBackend backend : backends) {
            String target = "r" + backend.port() + ".addr.yunlu_office.consul";
            lines.add(Dnsmasq.srv(SRV, target, backend.port(), 1, 1));
            lines.add(Dnsmasq.host(target, "127.0.0.1"));
        }
        return lines;
    }

    private String exec(String text) {
        return String.join("\n", cluster.clients().exec(cluster.follower().apiAddress(), cluster.tokens().operator(), text)
                .getLinesList());
    }

    /** {@code list-detail server-group} on a follower: it lets the leader answer, which knows the source's state. */
    private String detail() {
        return cluster.clients().exec(cluster.follower().apiAddress(), cluster.tokens().viewer(), "list-detail server-group")
                .getLines(0);
    }

    private static Set<Integer> ports(ServerGroup group) {
        return group.getServersList().stream().map(s -> Integer.parseInt(s.getAddress().split(":")[1]))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static ServerGroup group(Config config) {
        return config.getServerGroupsList().stream().filter(g -> g.getName().equals("redis")).findFirst().orElseThrow();
    }

    private ServerGroup committed() {
        return (ServerGroup) cluster.leader().state().model().find(Kind.SERVER_GROUP, null, "redis").orElseThrow();
    }

    /**
     * Waits until the committed servers are {@code backends} and both data planes applied that
     * version with the same server list; returns the version.
     */
    private long awaitServers(RedisBackend... backends) {
        Set<Integer> expected = new TreeSet<>();
        for (RedisBackend backend : backends) {
            expected.add(backend.port());
        }
        return Poll.value(WAIT, "servers " + expected + " committed and applied by both data planes", () -> {
            ServerGroup group = committed();
            long version = cluster.leader().state().model().version();
            if (!ports(group).equals(expected)) {
                return null;
            }
            for (DataPlane dataPlane : dataPlanes) {
                Config applied = dataPlane.appliedConfig().orElse(null);
                if (applied == null || applied.getVersion() != version) {
                    return null;
                }
                assertEquals(group.getServersList(), group(applied).getServersList(), dataPlane.nodeId());
            }
            return version;
        });
    }

    /** The backends that {@code count} new connections through each data plane's listener reach. */
    private Set<Integer> landing(int count) {
        Set<Integer> reached = new TreeSet<>();
        for (DataPlane dataPlane : dataPlanes) {
            InetSocketAddress address = dataPlane.listenerAddress("lb0").orElseThrow();
            for (int i = 0; i < count; i++) {
                reached.add(RedisProbe.backendPort(address));
            }
        }
        return reached;
    }

    private String metrics() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, cluster.leader().metrics().scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private double metric(String line) {
        return metrics().lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElse(-1);
    }

    @Test
    void seed001RedisFollowsConsulDnsThroughAdditionsRemovalsAnOutageAndAShortEmptyAnswer() throws Exception {
        RedisBackend r1 = redis.get(0);
        RedisBackend r2 = redis.get(1);
        RedisBackend r3 = redis.get(2);
        awaitServers(r1, r2);
        String listener = dataPlanes.get(0).listenerAddress("lb0").orElseThrow().getPort() + "";
        if (Preconditions.available(new java.io.File("/usr/bin/redis-cli").canExecute(), "redis-cli (apt-get install redis-tools)")) {
            assertEquals("OK", redisCli(listener, "SET", "seed", "001"));
        }
        Poll.until(WAIT, "traffic on both backends", () -> landing(6).equals(Set.of(r1.port(), r2.port())));
        assertTrue(detail().contains(" discovery srv:" + SRV + " discovery-resolver " + dns.address()
                + " discovery-interval 1000 discovery-timeout 300 discovery-hold-empty 4000 source-state ok servers 2"), detail());
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> exec("add server s1 to server-group redis address 127.0.0.1:1"));
        assertTrue(refused.getStatus().getDescription().contains("server-group redis is owned by its discovery source srv:"
                + SRV), refused.getStatus().getDescription());

        // a server added to the answer takes traffic within two intervals
        dns.restart(records(r1, r2, r3));
        long added = System.nanoTime();
        Poll.until(WAIT, "traffic on the added backend", () -> landing(3).contains(r3.port()));
        long addedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added);
        long withThree = awaitServers(r1, r2, r3);
        assertTrue(addedMs <= 2 * INTERVAL_MS, "the added server took traffic after " + addedMs + " ms");

        // a removed one takes no new connection
        dns.restart(records(r2, r3));
        long removed = System.nanoTime();
        long withoutR1 = awaitServers(r2, r3);
        long removedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
        assertFalse(landing(10).contains(r1.port()));
        assertTrue(removedMs <= 2 * INTERVAL_MS, "the removed server left after " + removedMs + " ms");
        assertTrue(withoutR1 > withThree);

        // the DNS server down: nothing changes, visibly; resolution resumes when it is back
        dns.stop();
        long outageSeconds = Long.getLong("fulcrum.it.dnsOutageSeconds", 5);
        String failures = "fulcrum_discovery_failures_total{server_group=\"redis\"}";
        Poll.until(Duration.ofSeconds(outageSeconds + 30), "failed resolutions for " + outageSeconds + " s",
                () -> metric(failures) >= outageSeconds * 1000 / INTERVAL_MS);
        assertTrue(detail().contains("source-state holding-error servers 2 last-success "), detail());
        assertTrue(detail().contains(" last-error ") && detail().contains("no answer within 300 ms"), detail());
        assertEquals(1.0, metric("fulcrum_discovery_holding{server_group=\"redis\"}"));
        assertEquals(Set.of(r2.port(), r3.port()), landing(6), "traffic flows on during the outage");
        assertEquals(withoutR1, cluster.leader().state().model().version(), "nothing committed during the outage");
        dns.restart(records(r2, r3));
        Poll.until(WAIT, "resolution resumed", () -> detail().contains("source-state ok servers 2"));
        assertEquals(0.0, metric("fulcrum_discovery_holding{server_group=\"redis\"}"));
        assertEquals(withoutR1, cluster.leader().state().model().version(), "the same answer again commits nothing");

        // an empty answer shorter than the hold time changes nothing
        dns.restart(List.of());
        Poll.until(WAIT, "the empty answer seen", () -> detail().contains("source-state holding-empty servers 2"));
        dns.restart(records(r2, r3));
        Poll.until(WAIT, "answers again", () -> detail().contains("source-state ok servers 2"));
        assertEquals(withoutR1, cluster.leader().state().model().version(), "a short empty answer commits nothing");
        assertEquals(Set.of(r2.port(), r3.port()), landing(6));
        System.out.printf("DiscoveryIT: added server took traffic after %d ms, removed one left after %d ms "
                + "(interval %d ms), outage %d s held%n", addedMs, removedMs, INTERVAL_MS, outageSeconds);
    }

    @Test
    void anEmptyAnswerHeldLongerThanTheHoldTimeRemovesTheServers() {
        awaitServers(redis.get(0), redis.get(1));
        dns.restart(List.of());
        long empty = System.nanoTime();
        awaitServers();
        long gone = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - empty);
        assertTrue(gone >= HOLD_EMPTY_MS, "removed after " + gone + " ms");
        assertTrue(detail().contains("source-state empty servers 0"), detail());
    }

    @Test
    void aNewLeaderContinuesAfterTheLeaderIsKilledDuringResolutionWithoutDuplicateOrLostServers() {
        RedisBackend r1 = redis.get(0);
        RedisBackend r2 = redis.get(1);
        RedisBackend r3 = redis.get(2);
        awaitServers(r1, r2);
        List<RedisBackend[]> answers = List.of(new RedisBackend[] {r1, r2, r3}, new RedisBackend[] {r3}, new RedisBackend[] {r2, r3});
        Set<String> leaders = new HashSet<>();
        for (RedisBackend[] answer : answers) {
            dns.restart(records(answer));
            ControlPlaneNode leader = cluster.leader();
            leaders.add(leader.id());
            cluster.stop(leader.id());
            awaitServers(answer);
            cluster.start(leader.id());
            cluster.awaitReady();
        }
        assertTrue(leaders.size() >= 2, "leadership moved: " + leaders);
        ServerGroup group = committed();
        assertEquals(group.getServersCount(), group.getServersList().stream().map(Server::getName).distinct().count());
        assertEquals(Set.of(r2.port(), r3.port()), landing(6));
        // a restarted member's history starts at its recovered state: count on the member that holds the most
        long byDiscovery = cluster.nodes().stream().map(n -> n.state().history().since(0)).filter(h -> h != null)
                .mapToLong(h -> h.stream().filter(c -> c.getPrincipal().equals(DiscoveryRules.PRINCIPAL)).count())
                .max().orElse(0);
        assertTrue(byDiscovery >= 2, "answers committed by discovery: " + byDiscovery);
    }

    private static String redisCli(String port, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("/usr/bin/redis-cli", "-p", port));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-cli finished");
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
