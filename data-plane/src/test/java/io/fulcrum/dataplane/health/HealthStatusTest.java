package io.fulcrum.dataplane.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.HealthState;
import io.fulcrum.proto.v1.HealthTransition;
import io.fulcrum.proto.v1.ServerHealth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HealthStatusTest {
    private static final HealthState UP = HealthState.HEALTH_STATE_UP;
    private static final HealthState DOWN = HealthState.HEALTH_STATE_DOWN;
    private static final HealthState UNKNOWN = HealthState.HEALTH_STATE_UNKNOWN;
    private static final CheckResult OK = CheckResult.ok("connected", 120);
    private static final CheckResult FAIL = CheckResult.failed("connect refused");

    private final HealthStatus status = new HealthStatus(new ServerKey("ngx", "backend1", "10.0.2.1:80"), 1000);

    @Test
    void newServerIsUnknownAndTheFirstResultDecides() {
        assertEquals(UNKNOWN, status.state());
        assertEquals(UNKNOWN, status.record(OK, 2, 3, 2000));
        assertEquals(UP, status.state());

        HealthStatus other = new HealthStatus(new ServerKey("ngx", "backend2", "10.0.2.2:80"), 1000);
        assertEquals(UNKNOWN, other.record(FAIL, 2, 3, 2000));
        assertEquals(DOWN, other.state());
        assertEquals("connect refused", other.toProto().getReason());
    }

    @Test
    void aServerComingBackUpStartsARampButItsFirstUpDoesNot() {
        status.record(OK, 1, 1, 0);
        assertEquals(0, status.rampSinceNanos(), "UNKNOWN to UP: not coming back");
        status.record(FAIL, 1, 1, 0);
        long before = System.nanoTime();
        status.record(OK, 1, 1, 0);
        assertTrue(status.rampSinceNanos() >= before, "DOWN to UP starts the ramp");
    }

    @Test
    void downNeedsThatManyConsecutiveFailures() {
        status.record(OK, 2, 3, 0);
        assertNull(status.record(FAIL, 2, 3, 0));
        assertNull(status.record(FAIL, 2, 3, 0));
        assertNull(status.record(OK, 2, 3, 0)); // resets the run
        assertNull(status.record(FAIL, 2, 3, 0));
        assertNull(status.record(FAIL, 2, 3, 0));
        assertEquals(UP, status.state());
        assertEquals(UP, status.record(FAIL, 2, 3, 5000));
        assertEquals(DOWN, status.state());
        assertEquals(5000, status.toProto().getSinceUnixMs());
    }

    @Test
    void upNeedsThatManyConsecutiveSuccesses() {
        status.record(FAIL, 2, 3, 0);
        assertNull(status.record(OK, 2, 3, 0));
        assertNull(status.record(FAIL, 2, 3, 0));
        assertNull(status.record(OK, 2, 3, 0));
        assertEquals(DOWN, status.record(OK, 2, 3, 7000));
        ServerHealth health = status.toProto();
        assertEquals(UP, health.getState());
        assertEquals("2/2 checks ok", health.getReason());
        assertEquals(120, health.getLatencyUs());
        assertEquals(7000, health.getSinceUnixMs());
    }

    @Test
    void registryAnnouncesTransitionsOfAppliedServersOnly() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(42_000), ZoneOffset.UTC);
        HealthRegistry registry = new HealthRegistry("dp1", clock);
        List<HealthTransition> seen = new ArrayList<>();
        registry.addListener(seen::add);
        HealthStatus applied = registry.prepare(new ServerKey("ngx", "b1", "127.0.0.1:1"));
        HealthStatus stray = registry.prepare(new ServerKey("ngx", "b2", "127.0.0.1:2"));
        registry.install(List.of(applied));

        registry.record(applied, OK, 2, 3);
        registry.record(stray, OK, 2, 3);
        assertEquals(1, seen.size());
        HealthTransition transition = seen.get(0);
        assertEquals("dp1", transition.getNodeId());
        assertEquals(UNKNOWN, transition.getPrevious());
        assertEquals(UP, transition.getHealth().getState());
        assertEquals(42_000, transition.getHealth().getSinceUnixMs());
        assertEquals(Set.of("b1"), Set.copyOf(registry.snapshot().stream().map(ServerHealth::getServer).toList()));
        // the next config keeps the state of a surviving server
        assertEquals(applied, registry.prepare(new ServerKey("ngx", "b1", "127.0.0.1:1")));
    }

    @Test
    void forcedStateForGroupsWithoutChecks() {
        assertEquals(UNKNOWN, status.force(UP, "no health check", 10));
        assertNull(status.force(UP, "no health check", 20));
        assertEquals(10, status.toProto().getSinceUnixMs());
    }
}
