package io.fulcrum.dataplane.vip;

import java.nio.file.Path;
import java.util.List;

/**
 * The keepalived configuration a node writes for its VRRP instances: unicast only (no multicast
 * needed, no split brain from lost multicast), every instance in state BACKUP so the priorities
 * decide, each watching its track file (0: fresh, -{@value VrrpPlan#STALE_PENALTY}: stale, -254:
 * FAULT), gratuitous ARPs repeated and refreshed (keepalived #166), state changes written to a FIFO.
 * The text depends only on the instances, so it changes only when the VIPs or their members do.
 */
public final class KeepalivedConfig {
    private KeepalivedConfig() {
    }

    /** The track file of instance {@code index} in {@code dir}. */
    public static Path trackFile(Path dir, int index) {
        return dir.resolve("vip-" + index + ".track");
    }

    public static String render(String nodeId, List<VrrpInstance> instances, Path dir, Path fifo) {
        StringBuilder text = new StringBuilder();
        text.append("# Written by the Fulcrum data plane ").append(nodeId)
                .append(" when its VIPs or their members change; do not edit (docs/vip.md).\n")
                .append("global_defs {\n")
                .append("  router_id fulcrum-").append(nodeId).append('\n')
                .append("  vrrp_garp_master_delay 1\n")
                .append("  vrrp_garp_master_repeat 3\n")
                .append("  vrrp_garp_master_refresh 60\n")
                .append("  vrrp_notify_fifo \"").append(fifo).append("\"\n")
                .append("}\n");
        for (int i = 0; i < instances.size(); i++) {
            text.append("vrrp_track_file fulcrum_track_").append(i).append(" {\n")
                    .append("  file \"").append(trackFile(dir, i)).append("\"\n")
                    .append("  weight 1\n")
                    .append("}\n");
        }
        for (int i = 0; i < instances.size(); i++) {
            instance(text, instances.get(i), i);
        }
        return text.toString();
    }

    private static void instance(StringBuilder text, VrrpInstance v, int index) {
        text.append("vrrp_instance ").append(v.vip()).append(" {\n")
                .append("  state BACKUP\n")
                .append("  interface ").append(v.device()).append('\n')
                .append("  virtual_router_id ").append(v.routerId()).append('\n')
                .append("  priority ").append(v.priority()).append('\n');
        if (v.version() == 3) {
            text.append("  version 3\n").append("  advert_int ").append(seconds(v.advertMs())).append('\n');
        } else {
            text.append("  advert_int ").append(v.advertMs() / 1000).append('\n');
        }
        if (!v.peers().isEmpty()) {
            // alone, keepalived just takes the address; with peers, unicast to each of them
            text.append("  unicast_src_ip ").append(v.source()).append('\n');
            text.append("  unicast_peer {\n");
            v.peers().forEach(peer -> text.append("    ").append(peer).append('\n'));
            text.append("  }\n");
        }
        if (!v.password().isEmpty()) {
            text.append("  authentication {\n    auth_type PASS\n    auth_pass ").append(v.password()).append("\n  }\n");
        }
        text.append("  virtual_ipaddress {\n    ").append(v.address()).append(" dev ").append(v.device()).append("\n  }\n")
                .append("  track_file {\n    fulcrum_track_").append(index).append("\n  }\n")
                .append("}\n");
    }

    private static String seconds(int ms) {
        return ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(java.util.Locale.ROOT, "%.2f", ms / 1000.0);
    }
}
