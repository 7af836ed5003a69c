package io.fulcrum.dataplane.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The keepalived config Fulcrum writes: unicast, BACKUP everywhere, one track file per instance. */
@Timeout(10)
class KeepalivedConfigTest {
    private static final Path DIR = Path.of("/var/lib/fulcrum/dp1/vrrp");

    @Test
    void seed003sVipAsFulcrumWritesIt() {
        VrrpInstance vip = new VrrpInstance("web", "192.168.99.151/24", "eth0", 51, 1000, 2, "1111", 200, "192.168.99.11",
                List.of("192.168.99.12"));
        assertEquals("""
                # Written by the Fulcrum data plane dp1 when its VIPs or their members change; do not edit (docs/vip.md).
                global_defs {
                  router_id fulcrum-dp1
                  vrrp_garp_master_delay 1
                  vrrp_garp_master_repeat 3
                  vrrp_garp_master_refresh 60
                  vrrp_notify_fifo "/var/lib/fulcrum/dp1/vrrp/keepalived.fifo"
                }
                vrrp_track_file fulcrum_track_0 {
                  file "/var/lib/fulcrum/dp1/vrrp/vip-0.track"
                  weight 1
                }
                vrrp_instance web {
                  state BACKUP
                  interface eth0
                  virtual_router_id 51
                  priority 200
                  advert_int 1
                  unicast_src_ip 192.168.99.11
                  unicast_peer {
                    192.168.99.12
                  }
                  authentication {
                    auth_type PASS
                    auth_pass 1111
                  }
                  virtual_ipaddress {
                    192.168.99.151/24 dev eth0
                  }
                  track_file {
                    fulcrum_track_0
                  }
                }
                """, KeepalivedConfig.render("dp1", List.of(vip), DIR, DIR.resolve("keepalived.fifo")));
    }

    @Test
    void subSecondAdvertsAreVrrpV3AndALoneNodeNeedsNoPeers() {
        VrrpInstance vip = new VrrpInstance("fast", "10.0.0.50/24", "e0", 7, 100, 3, "", 200, "10.0.0.11", List.of());
        String text = KeepalivedConfig.render("dp1", List.of(vip), DIR, DIR.resolve("keepalived.fifo"));
        assertTrue(text.contains("  version 3\n  advert_int 0.10\n"), text);
        assertFalse(text.contains("unicast") || text.contains("authentication"), text);
    }
}
