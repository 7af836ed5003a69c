package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.controlplane.testing.Dnsmasq;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.ReadConsistency;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.ServerGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control-plane processes follow an SRV answer that changes right before each kill -9 of the
 * leader: the next leader continues from the committed servers, and every member ends with
 * exactly the answer, no server twice, none missing.
 */
@Timeout(240)
class DiscoveryProcessIT {
    private static final String SRV = "_svc._tcp.service.consul";

    /** Servers node{from}..node{to - 1}, each its own target and address. */
    private static List<String> answer(int from, int to) {
        List<String> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String target = "node" + i + ".addr.dc1.consul";
            records.add(Dnsmasq.srv(SRV, target, 7000 + i, 1, 1));
            records.add(Dnsmasq.host(target, "10.0.0." + (i + 1)));
        }
        return records;
    }

    private static Set<String> names(int from, int to) {
        Set<String> names = new TreeSet<>();
        for (int i = from; i < to; i++) {
            names.add("node" + i + ".addr.dc1.consul:" + (7000 + i));
        }
        return names;
    }

    private static ServerGroup group(ProcessCluster cluster, String id) {
        Config config = cluster.clients().config(cluster.api(id), cluster.tokens().viewer()).get(GetRequest.newBuilder()
                .setConsistency(ReadConsistency.READ_CONSISTENCY_LOCAL).build()).getConfig();
        return config.getServerGroupsList().stream().filter(g -> g.getName().equals("svc")).findFirst().orElseThrow();
    }

    /** Waits until every running member holds exactly {@code expected}; fails on a duplicate. */
    private static void awaitEverywhere(ProcessCluster cluster, Set<String> expected) {
        Poll.until(Duration.ofSeconds(30), () -> cluster.running().stream().allMatch(id -> {
            List<String> names = group(cluster, id).getServersList().stream().map(Server::getName).toList();
            assertEquals(names.size(), new HashSet<>(names).size(), id + " holds a server twice: " + names);
            return new TreeSet<>(names).equals(expected);
        }), () -> expected + " on every member; they hold " + cluster.running().stream()
                .map(id -> id + "=" + group(cluster, id).getServersList().stream().map(Server::getName)
                        .collect(Collectors.toList())).toList());
    }

    @Test
    void killingTheLeaderDuringResolutionNeitherDuplicatesNorLosesAServer(@TempDir Path dir) throws Exception {
        Dnsmasq.require();
        try (Dnsmasq dns = Dnsmasq.start(dir, answer(0, 4)); ProcessCluster cluster = ProcessCluster.start(dir, 3)) {
            cluster.clients().exec(cluster.api(cluster.follower()), cluster.tokens().operator(),
                    "add server-group svc timeout 500 period 1000 up 1 down 1 protocol none discovery srv:" + SRV
                            + " discovery-resolver " + dns.address() + " discovery-interval 300 discovery-timeout 200");
            awaitEverywhere(cluster, names(0, 4));
            int[][] rounds = {{2, 9}, {5, 7}, {0, 12}};
            Set<String> leaders = new TreeSet<>();
            List<Long> takeovers = new ArrayList<>();
            for (int[] round : rounds) {
                dns.restart(answer(round[0], round[1]));
                String leader = cluster.leader();
                leaders.add(leader);
                long killed = System.nanoTime();
                cluster.kill(leader);
                awaitEverywhere(cluster, names(round[0], round[1]));
                takeovers.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                cluster.start(leader);
                cluster.awaitReady();
            }
            awaitEverywhere(cluster, names(0, 12));
            assertTrue(leaders.size() >= 2, "leadership moved: " + leaders);
            System.out.println("DiscoveryProcessIT: the answer committed " + takeovers
                    + " ms after each kill -9 of the leader (interval 300 ms)");
        }
    }
}
