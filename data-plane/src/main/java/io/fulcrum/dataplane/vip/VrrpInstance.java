package io.fulcrum.dataplane.vip;

import java.util.List;

/**
 * One VRRP instance this node runs for a VIP: what its keepalived config says.
 *
 * @param vip         the VIP's name (the instance's name in keepalived and in the notify lines)
 * @param address     the virtual address with its prefix, e.g. 10.210.0.50/24
 * @param device      the interface that carries it on this node
 * @param routerId    VRRP virtual router id
 * @param advertMs    advertisement interval, ms
 * @param version     VRRP version, 2 or 3
 * @param password    VRRPv2 simple password; empty for none
 * @param priority    this node's priority before the staleness penalty (101..200)
 * @param source      this node's own address on the subnet (unicast source)
 * @param peers       the other participating nodes' addresses, in node-id order
 */
public record VrrpInstance(String vip, String address, String device, int routerId, int advertMs, int version,
        String password, int priority, String source, List<String> peers) {
    public VrrpInstance {
        peers = List.copyOf(peers);
    }
}
