package io.fulcrum.config.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fulcrum.config.ConfigException;
import io.fulcrum.proto.v1.Vip;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The vip resource: defaults, the detail line, saved scripts, and every rule with its error. */
@Timeout(30)
class VipCommandsTest {
    private Interpreter interpreter;

    @BeforeEach
    void empty() {
        interpreter = new Interpreter();
    }

    @Test
    void seed003sVipIsOneCommandWithDefaults() {
        interpreter.exec("add vip vip0 address 192.168.99.151/24 router-id 51 password 1111");
        Vip vip = interpreter.model().toProto().getVips(0);
        assertEquals("192.168.99.151/24", vip.getAddress());
        assertEquals("", vip.getInterface());
        assertEquals(51, vip.getRouterId());
        assertEquals(1000, vip.getAdvertIntervalMs());
        assertEquals(Map.of(), vip.getSelectorMap());
        assertEquals(List.of("vip0 -> address 192.168.99.151/24 interface (route) router-id 51 advert 1000 vrrp v2 "
                + "password (set) selector (all)"), interpreter.exec("list-detail vip").getLinesList());
    }

    @Test
    void savedScriptRestoresEveryField() {
        interpreter.exec("add vip a address 10.0.0.50/24 router-id 51 interface e0 advert 100 selector zone=b,role=edge");
        interpreter.exec("add vip b addr 10.0.0.51/24 vrid 52 if e0 password pw");
        interpreter.exec("update vip b advert 2000 selector role=edge");
        assertEquals(List.of("a -> address 10.0.0.50/24 interface e0 router-id 51 advert 100 vrrp v3 selector role=edge,zone=b",
                "b -> address 10.0.0.51/24 interface e0 router-id 52 advert 2000 vrrp v2 password (set) selector role=edge"),
                interpreter.exec("list-detail vip").getLinesList());
        SavedScripts.assertRestores(interpreter);
    }

    @Test
    void badValuesSayWhatIsAllowed() {
        assertError("add vip v: invalid value for address: must be an IPv4 ADDRESS/PREFIX such as 10.210.0.50/24 "
                + "(the address and the prefix of its subnet), got \"10.0.0.50\"", "add vip v address 10.0.0.50 router-id 1");
        assertError("add vip v: invalid value for address: must be an IPv4 address (VRRP for IPv6 is not supported yet), "
                + "got \"fd00::5/64\"", "add vip v address fd00::5/64 router-id 1");
        assertError("add vip v: invalid value for address: must be a unicast host address (not 0.0.0.0, 127.0.0.0/8, "
                + "multicast or broadcast), got \"127.0.0.5/8\"", "add vip v address 127.0.0.5/8 router-id 1");
        assertError("add vip v: invalid value for router-id: must be an integer 1..255, got \"256\"",
                "add vip v address 10.0.0.5/24 router-id 256");
        assertError("add vip v: invalid value for advert: must be an interval in ms: whole seconds 1000..255000 (VRRPv2), "
                + "or 10..40950 in steps of 10 (VRRPv3), got \"105\"", "add vip v address 10.0.0.5/24 router-id 1 advert 105");
        assertError("add vip v: invalid value for password: must be 1..8 printable ASCII characters without whitespace, "
                + "quotes, '\\', '#' or '!' (got 9 characters)", "add vip v address 10.0.0.5/24 router-id 1 password 123456789");
        assertError("add vip v: invalid value for selector: must be KEY=VALUE pairs separated by commas, such as "
                + "role=edge,zone=a (keys and values of letters, digits, '.', '_', '-' and '/'), got \"role\"",
                "add vip v address 10.0.0.5/24 router-id 1 selector role");
        assertError("add vip v: invalid value for interface: must be an interface name such as eth0 (1..15 characters, "
                + "no '/', ':' or whitespace), got \"eth0:1\"", "add vip v address 10.0.0.5/24 router-id 1 interface eth0:1");
        assertError("add vip v: missing parameter router-id (VRRP virtual router id, unique among the VIPs of one interface: "
                + "an integer 1..255)", "add vip v address 10.0.0.5/24");
        assertEquals(0, interpreter.model().toProto().getVipsCount(), "nothing stored");
    }

    @Test
    void rulesBetweenVipsAreChecked() {
        interpreter.exec("add vip a address 10.0.0.50/24 router-id 51 interface e0");
        assertError("add vip b: vip b: address 10.0.0.50 is vip a's already", "add vip b address 10.0.0.50/16 router-id 52");
        assertError("add vip b: vip b: router-id 51 is used by vip a on interface e0; router ids must be unique per interface",
                "add vip b address 10.0.0.51/24 router-id 51");
        assertError("add vip b: vip b: a password needs VRRPv2, an advert of whole seconds (VRRPv3, for advert 100 ms, "
                + "has no authentication); give advert 1000 or remove the password",
                "add vip b address 10.0.0.51/24 router-id 52 advert 100 password x");
        interpreter.exec("add vip b address 10.0.0.51/24 router-id 51 interface e1");
        interpreter.exec("add vip c address 10.0.0.52/24 router-id 52 password x");
        assertError("update vip c: vip c: a password needs VRRPv2, an advert of whole seconds (VRRPv3, for advert 10 ms, "
                + "has no authentication); give advert 1000 or remove the password", "update vip c advert 10");
        assertEquals(3, interpreter.model().toProto().getVipsCount());
        assertEquals(1000, interpreter.model().toProto().getVips(2).getAdvertIntervalMs(), "the failed update changed nothing");
        interpreter.exec("remove vip a");
        assertEquals(List.of("b", "c"), interpreter.exec("list vip").getLinesList());
    }

    private void assertError(String expected, String command) {
        assertEquals(expected, assertThrows(ConfigException.class, () -> interpreter.exec(command)).getMessage());
    }
}
