package io.fulcrum.ctl.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.ctl.testing.FakeControlPlane;
import io.fulcrum.ctl.testing.FctlHarness;
import io.fulcrum.ctl.testing.FctlHarness.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fctl nodes shows each node's VRRP role per VIP; fctl get vip shows who holds each. */
@Timeout(60)
class VipViewsTest {
    @Test
    void nodesAndGetVipShowTheRoles(@TempDir Path dir) throws Exception {
        try (FakeControlPlane cluster = new FakeControlPlane(true)) {
            FctlHarness fctl = new FctlHarness(dir, Map.of("FULCRUM_SERVER", cluster.address(), "FULCRUM_TOKEN", "op-token-1234567890"));
            assertTrue(fctl.run("nodes").out().lines().findFirst().orElseThrow().endsWith("LAST-ERROR"), "no VIPS column without VIPs");
            cluster.exec("add vip web address 192.168.99.151/24 router-id 51 password 1111\n"
                    + "add vip api address 192.168.99.152/24 router-id 52 interface eth0 advert 100 selector role=edge");

            Result nodes = fctl.run("nodes");
            assertEquals(0, nodes.code(), nodes.toString());
            assertTrue(nodes.out().lines().findFirst().orElseThrow().contains("VIPS"), nodes.out());
            assertTrue(nodes.out().lines().anyMatch(l -> l.startsWith("dp1") && l.contains("web=MASTER,api=MASTER")), nodes.out());
            assertTrue(nodes.out().lines().anyMatch(l -> l.startsWith("dp2") && l.contains("web=BACKUP(stale),api=BACKUP(stale)")),
                    nodes.out());

            Result vips = fctl.run("get", "vip");
            assertEquals(0, vips.code(), vips.toString());
            assertTrue(vips.out().lines().findFirst().orElseThrow().matches("VIP +ADDRESS +INTERFACE +ROUTER-ID +ADVERT-MS +SELECTOR +HOLDER +NODES"),
                    vips.out());
            assertTrue(vips.out().lines().anyMatch(l -> l.matches("web +192\\.168\\.99\\.151/24 +\\(route\\) +51 +1000 +\\(all\\) +dp1 +2")),
                    vips.out());
            assertTrue(vips.out().lines().anyMatch(l -> l.matches("api +192\\.168\\.99\\.152/24 +eth0 +52 +100 +role=edge +dp1 +2")),
                    vips.out());
            Result yaml = fctl.run("get", "vip", "web", "-o", "yaml");
            assertTrue(yaml.out().contains("kind: Vip") && yaml.out().contains("routerId: 51"), yaml.toString());
        }
    }
}
