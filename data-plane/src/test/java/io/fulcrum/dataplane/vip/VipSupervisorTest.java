package io.fulcrum.dataplane.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.dataplane.testing.Poll;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.ServerGroup;
import io.fulcrum.proto.v1.Vip;
import io.fulcrum.proto.v1.VrrpState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against a stand-in keepalived (a script that logs its starts, SIGHUPs and
 * SIGTERMs): it starts once the fleet lists the node, reloads only when the VIPs or their members
 * change, starts a dead keepalived again, and writes the track file the node's state calls for.
 */
@Timeout(60)
class VipSupervisorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final LocalAddress.Interfaces HOST = () -> List.of(
            new LocalAddress.Nic("e0", List.of(new LocalAddress.Nic.Address("10.0.0.11", 24))));
    private static final Vip VIP = Vip.newBuilder().setName("v").setAddress("10.0.0.50/24").setRouterId(50)
            .setAdvertIntervalMs(1000).build();

    @TempDir
    Path dir;
    private final AtomicReference<Config> applied = new AtomicReference<>();
    private volatile boolean serving = true;
    private VipSupervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    @Test
    void keepalivedStartsReloadsOnlyForMembershipAndComesBackWhenItDies() throws Exception {
        Path fake = fakeKeepalived();
        applied.set(config(1, List.of()));
        AtomicInteger changes = new AtomicInteger();
        supervisor = VipSupervisor.start(node(), fake.toString(), dir.resolve("vrrp"), new PrometheusRegistry(), HOST);
        supervisor.onChange(changes::incrementAndGet);
        Poll.until(WAIT, () -> !supervisor.statuses().isEmpty()
                && supervisor.statuses().get(0).getNodeAddress().equals("10.0.0.11"), "the node reports its address");
        assertEquals(VrrpState.VRRP_STATE_STOPPED, supervisor.statuses().get(0).getState(), "no keepalived before the fleet lists it");
        assertTrue(events().isEmpty());

        supervisor.fleet(VrrpPlanTest.fleet(VrrpPlanTest.node("dp1", "10.0.0.11", Map.of())));
        Poll.until(WAIT, () -> events().equals(List.of("start")), "keepalived started");
        assertEquals("0", track(), "a serving, fresh node");

        applied.set(config(2, List.of(ServerGroup.newBuilder().setName("g").build())));
        supervisor.fleet(VrrpPlanTest.fleet(VrrpPlanTest.node("dp1", "10.0.0.11", Map.of()).toBuilder().setAppliedVersion(2).build()));
        Poll.holds(Duration.ofMillis(500), () -> events().equals(List.of("start")),
                "an ordinary config change does not reload keepalived: " + events());

        supervisor.fleet(VrrpPlanTest.fleet(VrrpPlanTest.node("dp1", "10.0.0.11", Map.of()), VrrpPlanTest.node("dp2", "10.0.0.12", Map.of())));
        Poll.until(WAIT, () -> events().equals(List.of("start", "hup")), () -> "one reload for the new member: " + events());
        assertTrue(Files.readString(dir.resolve("vrrp/keepalived.conf")).contains("10.0.0.12"));

        notify("INSTANCE \"v\" MASTER 200");
        Poll.until(WAIT, () -> supervisor.statuses().get(0).getState() == VrrpState.VRRP_STATE_MASTER, "MASTER reported");
        assertTrue(changes.get() > 0, "a role change asks for a heartbeat");

        long pid = Long.parseLong(Files.readString(dir.resolve("fake.pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Poll.until(WAIT, () -> events().stream().filter("start"::equals).count() == 2, "keepalived started again");

        serving = false;
        Poll.until(WAIT, () -> "-254".equals(track()), "FAULT written");
        supervisor.close();
        Poll.until(WAIT, () -> events().contains("term"), "keepalived stopped");
    }

    @Test
    void aNodeBehindAnotherMemberIsStaleAfterTheGrace() throws Exception {
        applied.set(config(5, List.of()));
        supervisor = VipSupervisor.start(node(), fakeKeepalived().toString(), dir.resolve("vrrp"), new PrometheusRegistry(), HOST);
        supervisor.fleet(VrrpPlanTest.fleet(VrrpPlanTest.node("dp1", "10.0.0.11", Map.of()),
                VrrpPlanTest.node("dp2", "10.0.0.12", Map.of()).toBuilder().setAppliedVersion(6).build()));
        Poll.until(WAIT, () -> "-100".equals(track()), "stale written");
        assertTrue(supervisor.statuses().get(0).getStale());
    }

    private VipNode node() {
        return new VipNode() {
            @Override
            public String nodeId() {
                return "dp1";
            }

            @Override
            public Map<String, String> labels() {
                return Map.of();
            }

            @Override
            public Optional<Config> appliedConfig() {
                return Optional.ofNullable(applied.get());
            }

            @Override
            public boolean serving() {
                return serving;
            }
        };
    }

    private static Config config(long version, List<ServerGroup> groups) {
        return Config.newBuilder().setClusterId("c").setVersion(version).addVips(VIP).addAllServerGroups(groups).build();
    }

    /**
     * A stand-in for keepalived that logs start, hup and term. Perl rather than bash: a shell
     * cannot trap a signal that was ignored when it started (a test run under nohup ignores HUP),
     * Perl's handlers replace the ignored disposition as keepalived's do.
     */
    private Path fakeKeepalived() throws IOException {
        Path script = dir.resolve("keepalived");
        Files.writeString(script, String.join("\n", "#!/usr/bin/perl",
                "use IO::Handle;",
                "open(my $log, '>>', '" + dir.resolve("events") + "') or die; $log->autoflush(1);",
                "$SIG{HUP} = sub { print $log \"hup\\n\" };",
                "$SIG{TERM} = sub { print $log \"term\\n\"; exit 0 };",
                "open(my $pid, '>', '" + dir.resolve("fake.pid") + "') or die; print $pid \"$$\\n\"; close($pid);",
                "print $log \"start\\n\";",
                "while (1) { select(undef, undef, undef, 0.05); }", ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> events() {
        try {
            return Files.exists(dir.resolve("events")) ? Files.readAllLines(dir.resolve("events")) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private String track() {
        try {
            return Files.readString(dir.resolve("vrrp/vip-0.track")).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private void notify(String line) throws IOException {
        try (RandomAccessFile fifo = new RandomAccessFile(dir.resolve("vrrp/keepalived.fifo").toFile(), "rw")) {
            fifo.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
