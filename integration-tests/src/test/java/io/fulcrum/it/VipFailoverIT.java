package io.fulcrum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.testing.Preconditions;
import io.fulcrum.controlplane.testing.Poll;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.dataplane.testing.NamedServer;
import io.fulcrum.proto.v1.DataPlaneNode;
import io.fulcrum.proto.v1.ExecRequest;
import io.fulcrum.proto.v1.ExecResponse;
import io.fulcrum.proto.v1.NodesRequest;
import io.fulcrum.proto.v1.SyncState;
import io.fulcrum.proto.v1.VipStatus;
import io.fulcrum.proto.v1.VrrpState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three data planes behind one VIP on a LAN of network namespaces (docs/vip.md): a bridge, the
 * three nodes, a client and the control plane (three members) each in a namespace of its own, the
 * backend in this test. The client makes a new connection per request through the VIP while the
 * tests kill, NACK, stop and drain nodes. Needs root, iproute2 and keepalived (CI installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VipFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final int PORT = 8080;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final Map<String, Lan.Host> hosts = new LinkedHashMap<>();
    private final Map<String, DataPlaneProcess> nodes = new LinkedHashMap<>();
    private Lan lan;
    private Lan.Host client;
    private ProcessCluster cluster;
    private Path dir;
    private String vip;

    @BeforeAll
    void lanWithThreeNodesBehindOneVip(@TempDir Path tempDir) throws Exception {
        Preconditions.require(NetNamespace.available(), "needs root and network namespaces (ip netns, package iproute2)");
        Preconditions.requireExecutable("/usr/sbin/keepalived", "apt-get install keepalived");
        dir = tempDir;
        lan = Lan.create();
        Lan.Host controlPlane = lan.join("cp", 2);
        for (int i = 1; i <= 3; i++) {
            hosts.put("dp" + i, lan.join("dp" + i, 10 + i));
        }
        client = lan.join("client", 20);
        vip = lan.address(50);
        NamedServer backend = NamedServer.start("backend", InetAddress.getByName(lan.address(1)));
        closing.add(backend);
        cluster = ProcessCluster.startIn(controlPlane, dir, 3);
        for (String id : hosts.keySet()) {
            startNode(id);
        }
        long version = exec(String.join("\n",
                "add server-group g timeout 500 period 1000 up 1 down 3",
                "add server b1 to server-group g address " + backend.address().replace("127.0.0.1", lan.address(1)),
                "add upstream u", "add server-group g to upstream u",
                "add tcp-lb web address " + vip + ":" + PORT + " upstream u",
                "add vip v1 address " + vip + "/24 router-id 51")).getVersion();
        for (DataPlaneProcess node : nodes.values()) {
            cluster.awaitSynced(node, version);
        }
        awaitRoles("v1", 3);
    }

    @Test
    @Order(1)
    void killNineOfTheHolderMovesTheVipAndItsKeepalivedGivesTheAddressUp() throws Exception {
        String holder = awaitRoles("v1", 3);
        assertVisible("v1", holder);
        try {
            VipProbe.Report report = probeWhile(12_000, () -> nodes.get(holder).kill());
            String next = awaitRoles("v1", 2);
            assertNotEquals(holder, next);
            assertFalse(Lan.addresses(hosts.get(holder)).contains(" " + vip + "/"), "the killed node's keepalived gave the VIP up");
            assertTrue(keepalivedOf(holder).isEmpty(), "no keepalived outlives its data plane: " + keepalivedOf(holder));
            System.out.println("VIP failover, advert 1 s, kill -9: longest gap " + report.longestGap() + " ms");
            assertTrue(report.longestGap() < 4000, "longest gap " + report.longestGap() + " ms:\n" + report.text());
        } finally {
            restartNode(holder);
        }
    }

    @Test
    @Order(2)
    void aHolderThatVanishesWithoutAWordLosesTheVipAfterTheMasterDownInterval() throws Exception {
        String holder = awaitRoles("v1", 3);
        Lan.Host host = hosts.get(holder);
        try {
            VipProbe.Report report = probeWhile(12_000, () -> Lan.setLink(host, false));
            String next = awaitRoles("v1", 2);
            assertNotEquals(holder, next);
            System.out.println("VIP failover, advert 1 s, the holder's link cut: longest gap " + report.longestGap() + " ms");
            assertTrue(report.longestGap() < 4000, "longest gap " + report.longestGap() + " ms:\n" + report.text());
        } finally {
            Lan.setLink(host, true);
        }
        awaitRoles("v1", 3);
    }

    @Test
    @Order(3)
    void withTheShortestAdvertTheGapIsUnderASecond() throws Exception {
        exec("update vip v1 advert 100");
        Poll.until(WAIT, "every keepalived runs advert 0.10", () -> hosts.keySet().stream()
                .allMatch(id -> keepalivedConfig(id).contains("advert_int 0.10")));
        String holder = awaitRoles("v1", 3);
        try {
            VipProbe.Report report = probeWhile(8_000, () -> nodes.get(holder).kill());
            awaitRoles("v1", 2);
            System.out.println("VIP failover, advert 100 ms (VRRPv3), kill -9: longest gap " + report.longestGap() + " ms");
            assertTrue(report.longestGap() < 1000, "longest gap " + report.longestGap() + " ms:\n" + report.text());
        } finally {
            restartNode(holder);
        }
    }

    @Test
    @Order(4)
    void aNodeThatNacksTheNewestVersionLosesTheVipToASyncedNode() throws Exception {
        String holder = awaitRoles("v1", 3);
        int held = Ports.free();
        Process holding = new ProcessBuilder(hosts.get(holder).wrap(List.of(java(), "-cp", System.getProperty("java.class.path"),
                PortHolder.class.getName(), String.valueOf(held)))).start();
        closing.add(holding::destroyForcibly);
        assertEquals("held", new String(holding.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        long start = System.nanoTime();
        long rejected = exec("add tcp-lb blocked address " + vip + ":" + held + " upstream u").getVersion();
        String next = Poll.value(WAIT, "the VIP on a SYNCED node", () -> {
            String now = holderNow();
            return now != null && !now.equals(holder) ? now : null;
        });
        long moved = (System.nanoTime() - start) / 1_000_000;
        System.out.println("VIP moved off the node that NACKed in " + moved + " ms (advert 100 ms)");
        assertEquals(SyncState.SYNC_STATE_NACKED, listed().get(holder).getState());
        assertEquals(rejected, listed().get(next).getAppliedVersion());
        assertTrue(status(holder, "v1").getStale(), "the NACKing node reports itself stale");
        assertTrue(moved < 5000, "moved after " + moved + " ms");
        holding.destroyForcibly();
        long fixed = exec("remove tcp-lb blocked").getVersion();
        for (DataPlaneProcess node : nodes.values()) {
            cluster.awaitSynced(node, fixed);
        }
        Poll.until(WAIT, "no node stale", () -> hosts.keySet().stream().noneMatch(id -> status(id, "v1").getStale()));
    }

    @Test
    @Order(5)
    void withTheControlPlaneStoppedNoVipMoves() throws Exception {
        String holder = awaitRoles("v1", 3);
        Map<String, Double> transitions = transitions("v1");
        List<String> members = cluster.running();
        members.forEach(cluster::stop);
        try {
            Poll.holds(Duration.ofSeconds(8), Duration.ofMillis(200), "the VIP stays on " + holder + " while the control plane is down",
                    () -> holder.equals(holderNow()));
            assertEquals(transitions, transitions("v1"), "no VRRP transition on any node");
        } finally {
            members.forEach(cluster::start);
            cluster.awaitReady();
        }
        Poll.until(WAIT, () -> listed().values().stream().allMatch(n -> n.getState() == SyncState.SYNC_STATE_SYNCED),
                () -> "every node connected again: " + listed().values().stream().map(n -> n.getNodeId() + " " + n.getState()).toList());
    }

    @Test
    @Order(6)
    void sigtermToTheHolderMovesTheVipBeforeItsListenersClose() throws Exception {
        String holder = awaitRoles("v1", 3);
        try {
            VipProbe.Report report = probeWhile(10_000, () -> nodes.get(holder).terminate());
            assertEquals(0, nodes.get(holder).awaitExit(Duration.ofSeconds(30)), nodes.get(holder).logTail());
            awaitRoles("v1", 2);
            System.out.println("VIP handover on SIGTERM: longest gap " + report.longestGap() + " ms, " + report.refused() + " refused");
            assertEquals(0, report.refused(), "no connection refused during the handover:\n" + report.text());
            // a SYN that reached the old master as it let the address go is retransmitted after 1 s
            assertTrue(report.longestGap() < 3000, "longest gap " + report.longestGap() + " ms:\n" + report.text());
        } finally {
            restartNode(holder);
        }
    }

    @Test
    @Order(7)
    void anUpgradeOfTheHolderRefusesNoConnection() throws Exception {
        String holder = awaitRoles("v1", 3);
        DataPlaneProcess old = nodes.get(holder);
        DataPlaneProcess[] next = new DataPlaneProcess[1];
        VipProbe.Report report = probeWhile(14_000, () -> next[0] = old.takeOver());
        nodes.put(holder, next[0]);
        assertEquals(0, old.awaitExit(Duration.ofSeconds(30)), old.logTail());
        awaitRoles("v1", 3);
        System.out.println("VIP across a takeover of the holder: longest gap " + report.longestGap() + " ms, "
                + report.refused() + " refused");
        assertEquals(0, report.refused(), "no connection refused during the upgrade:\n" + report.text());
        assertTrue(report.longestGap() < 2000, "longest gap " + report.longestGap() + " ms:\n" + report.text());
    }

    @Test
    @Order(8)
    void twoVipsOverTwoNodesEachMasterOfOneBothAnswerWhenOneDies() throws Exception {
        String a = lan.address(51);
        String b = lan.address(52);
        long version = exec(String.join("\n", "add tcp-lb any address 0.0.0.0:" + (PORT + 1) + " upstream u",
                "add vip a address " + a + "/24 router-id 61 advert 100 selector pair=ab",
                "add vip b address " + b + "/24 router-id 62 advert 100 selector pair=ab")).getVersion();
        for (DataPlaneProcess node : nodes.values()) {
            cluster.awaitSynced(node, version);
        }
        String holderA = awaitRoles("a", 2);
        String holderB = awaitRoles("b", 2);
        assertNotEquals(holderA, holderB, "active-active: each node holds one of the two VIPs");
        assertTrue(List.of("dp1", "dp2").containsAll(List.of(holderA, holderB)), "only the selected nodes take part");
        nodes.get(holderA).kill();
        Poll.until(WAIT, "both VIPs on " + holderB, () -> holdersOf(a).equals(List.of(holderB)) && holdersOf(b).equals(List.of(holderB)));
        for (String address : List.of(a, b)) {
            VipProbe.Report report = probe(address, PORT + 1, 1500);
            assertEquals(0, report.failed() + report.refused(), address + " answers:\n" + report.text());
        }
        restartNode(holderA);
    }

    @AfterAll
    void cleanUp() {
        keepLogs();
        for (DataPlaneProcess node : nodes.values()) {
            node.kill();
        }
        if (cluster != null) {
            cluster.close();
        }
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        // a keepalived can only be left by a data plane that died without its pdeathsig: never leave one behind
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains("keepalived")
                && dir != null && c.contains(dir.toString())).orElse(false)).forEach(ProcessHandle::destroyForcibly);
        if (lan != null) {
            lan.close();
        }
    }

    /** The nodes' logs and keepalived files, kept in target/vip-logs for a look after a failure. */
    private void keepLogs() {
        if (dir == null) {
            return;
        }
        Path keep = Path.of("target", "vip-logs");
        try (var files = Files.walk(dir)) {
            Files.createDirectories(keep);
            for (Path file : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".conf")).toList()) {
                Files.copy(file, keep.resolve(dir.relativize(file).toString().replace('/', '_')),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // only a diagnostic
        }
    }

    private void startNode(String id) {
        List<String> labels = id.equals("dp3") ? List.of() : List.of("--label", "pair=ab");
        List<String> args = new ArrayList<>(List.of("--drain-timeout", "5s"));
        args.addAll(labels);
        List<String> apis = cluster.apis();
        nodes.put(id, DataPlaneProcess.start(id, dir, apis, cluster.tokens().file(), hosts.get(id), args));
    }

    private void restartNode(String id) {
        nodes.put(id, nodes.get(id).restart());
        Poll.until(WAIT, id + " back as a VRRP backup", () -> {
            VipStatus status = status(id, "v1");
            return status != null && status.getState() == VrrpState.VRRP_STATE_BACKUP
                    || status != null && status.getState() == VrrpState.VRRP_STATE_MASTER;
        });
        awaitRoles("v1", 3);
    }

    /**
     * Waits until {@code count} connected nodes have a role for {@code vipName} and it has settled:
     * exactly one node carries the address, it is the one of highest effective priority, it reports
     * MASTER and every other node BACKUP. Returns the holder.
     */
    private String awaitRoles(String vipName, int count) {
        String address = addressOf(vipName);
        String[] last = {""};
        return Poll.value(WAIT, () -> {
            Map<String, VipStatus> roles = new LinkedHashMap<>();
            for (String id : hosts.keySet()) {
                VipStatus s = status(id, vipName);
                if (s != null && (s.getState() == VrrpState.VRRP_STATE_MASTER || s.getState() == VrrpState.VRRP_STATE_BACKUP)) {
                    roles.put(id, s);
                }
            }
            List<String> holders = holdersOf(address);
            last[0] = "holders " + holders + ", roles " + roles.values().stream().map(s -> s.getState() + "/" + s.getPriority()
                    + (s.getStale() ? "/stale" : "")).toList() + " of " + roles.keySet();
            if (roles.size() != count || holders.size() != 1 || !roles.containsKey(holders.get(0))) {
                return null;
            }
            int top = roles.values().stream().mapToInt(VipFailoverIT::effective).max().orElse(-1);
            boolean settled = effective(roles.get(holders.get(0))) == top && roles.entrySet().stream().allMatch(e ->
                    e.getValue().getState() == (e.getKey().equals(holders.get(0)) ? VrrpState.VRRP_STATE_MASTER : VrrpState.VRRP_STATE_BACKUP));
            return settled ? holders.get(0) : null;
        }, () -> count + " nodes with a role for " + vipName + ", settled; last seen: " + last[0] + "\n" + keepalivedLogs());
    }

    private static int effective(VipStatus status) {
        return status.getPriority() - (status.getStale() ? 100 : 0);
    }

    private String addressOf(String vipName) {
        return switch (vipName) {
            case "v1" -> vip;
            case "a" -> lan.address(51);
            case "b" -> lan.address(52);
            default -> throw new IllegalArgumentException(vipName);
        };
    }

    private String holderNow() {
        List<String> holders = holdersOf(vip);
        return holders.size() == 1 ? holders.get(0) : null;
    }

    /** The nodes whose interface carries {@code address} right now (what ARP answers for). */
    private List<String> holdersOf(String address) {
        return hosts.entrySet().stream().filter(e -> {
            try {
                return Lan.addresses(e.getValue()).contains(" " + address + "/");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }).map(Map.Entry::getKey).toList();
    }

    /** fctl nodes' VIPS column and get vip's HOLDER come from these: check they tell the truth. */
    private void assertVisible(String vipName, String holder) {
        assertEquals(VrrpState.VRRP_STATE_MASTER, status(holder, vipName).getState());
        assertEquals(1.0, nodes.get(holder).metric("fulcrum_vip_state", "state=\"master\",vip=\"" + vipName + "\""));
        assertTrue(nodes.get(holder).metric("fulcrum_vip_transitions_total", "vip=\"" + vipName + "\"") >= 2.0);
        try {
            assertTrue(Files.readString(dir.resolve(holder + ".log")).contains("vip " + vipName + ": BACKUP -> MASTER"),
                    "a transition is one log line");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a connected node reports for {@code vipName}; null for a node that is not connected. */
    private VipStatus status(String id, String vipName) {
        DataPlaneNode node = listed().get(id);
        return node == null || node.getState() == SyncState.SYNC_STATE_DISCONNECTED ? null : node.getVipsList().stream().filter(v -> v.getVip().equals(vipName)).findFirst().orElse(null);
    }

    private Map<String, DataPlaneNode> listed() {
        return cluster.nodes();
    }

    private Map<String, Double> transitions(String vipName) {
        Map<String, Double> counts = new LinkedHashMap<>();
        nodes.forEach((id, node) -> counts.put(id, node.metric("fulcrum_vip_transitions_total", "vip=\"" + vipName + "\"")));
        return counts;
    }

    private ExecResponse exec(String text) {
        return cluster.exec(text);
    }

    /** The end of each node's keepalived log, for failure messages. */
    private String keepalivedLogs() {
        StringBuilder logs = new StringBuilder();
        for (String id : hosts.keySet()) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(id + "-state").resolve("vrrp").resolve("keepalived.log"));
                logs.append("--- keepalived of ").append(id).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()))).append('\n');
            } catch (IOException e) {
                logs.append("--- no keepalived log for ").append(id).append('\n');
            }
        }
        return logs.toString();
    }

    private String keepalivedConfig(String id) {
        try {
            return Files.readString(dir.resolve(id + "-state").resolve("vrrp").resolve("keepalived.conf"));
        } catch (IOException e) {
            return "";
        }
    }

    private List<Long> keepalivedOf(String id) {
        String config = dir.resolve(id + "-state").resolve("vrrp").resolve("keepalived.conf").toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(config)).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private interface Fault {
        void inject() throws Exception;
    }

    /** Runs the client for {@code millis}, injecting {@code fault} once it has answered for a second. */
    private VipProbe.Report probeWhile(long millis, Fault fault) throws Exception {
        Path out = Files.createTempFile(dir, "probe", ".txt");
        Process probe = startProbe(vip, PORT, millis, out);
        Poll.until(WAIT, "the client answered for a second", () -> VipProbe.Report.parse(read(out)).okAt().stream()
                .anyMatch(t -> t > 1000));
        fault.inject();
        assertTrue(probe.waitFor(millis + 20_000, TimeUnit.MILLISECONDS), "the probe ends");
        return VipProbe.Report.parse(read(out));
    }

    private VipProbe.Report probe(String address, int port, long millis) throws Exception {
        Path out = Files.createTempFile(dir, "probe", ".txt");
        Process probe = startProbe(address, port, millis, out);
        assertTrue(probe.waitFor(millis + 20_000, TimeUnit.MILLISECONDS), "the probe ends");
        return VipProbe.Report.parse(read(out));
    }

    private Process startProbe(String address, int port, long millis, Path out) throws IOException {
        Process probe = new ProcessBuilder(client.wrap(List.of(java(), "-cp", System.getProperty("java.class.path"),
                VipProbe.class.getName(), address, String.valueOf(port), String.valueOf(millis))))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        closing.add(probe::destroyForcibly);
        return probe;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
