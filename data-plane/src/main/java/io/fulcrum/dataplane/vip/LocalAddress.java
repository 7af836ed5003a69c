package io.fulcrum.dataplane.vip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;

/**
 * Where this node takes part in a VIP: the interface and the node's own IPv4 address on the VIP's
 * subnet (its VRRP unicast source). With no interface named, the interface is the one with an
 * address whose subnet holds the VIP (the connected route to it); with one named, that interface's
 * address in the subnet, else its first IPv4 address. No VIP address ever counts as the node's
 * own (the master of a VIP carries it on the same interface, in the same subnet).
 *
 * @param device  the interface name
 * @param address the node's address, dotted quad
 */
public record LocalAddress(String device, String address) {

    /** The interfaces of this host, as far as this class looks at them (injectable for tests). */
    public interface Interfaces {
        /** Each interface that is up: its name and IPv4 addresses with prefixes. */
        List<Nic> list() throws SocketException;

        /** The host's interfaces (java.net.NetworkInterface). */
        Interfaces SYSTEM = () -> Collections.list(NetworkInterface.getNetworkInterfaces()).stream().filter(LocalAddress::isUp)
                .map(n -> new Nic(n.getName(), n.getInterfaceAddresses().stream().filter(a -> a.getAddress() instanceof Inet4Address)
                        .map(a -> new Nic.Address(a.getAddress().getHostAddress(), a.getNetworkPrefixLength())).toList()))
                .toList();
    }

    /** An interface and its IPv4 addresses. */
    public record Nic(String name, List<Address> addresses) {
        /** An address with its prefix length. */
        public record Address(String ip, int prefix) {
        }
    }

    /**
     * Finds where this node serves {@code vip} (ADDRESS/PREFIX) on {@code device} (empty: any).
     *
     * @param vips the addresses of every VIP of the config (never this node's own)
     * @throws IllegalStateException saying why there is no such place (for the VIP's status)
     */
    public static LocalAddress find(String vip, String device, java.util.Set<String> vips, Interfaces interfaces) {
        String vipIp = vip.substring(0, vip.indexOf('/'));
        int prefix = Integer.parseInt(vip.substring(vip.indexOf('/') + 1));
        List<Nic> nics;
        try {
            nics = interfaces.list();
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the interfaces: " + e.getMessage());
        }
        for (Nic nic : nics) {
            if (!device.isEmpty() && !nic.name().equals(device)) {
                continue;
            }
            for (Nic.Address a : nic.addresses()) {
                if (!vips.contains(a.ip()) && sameSubnet(a.ip(), vipIp, prefix)) {
                    return new LocalAddress(nic.name(), a.ip());
                }
            }
            if (!device.isEmpty()) {
                return nic.addresses().stream().filter(a -> !vips.contains(a.ip())).findFirst()
                        .map(a -> new LocalAddress(nic.name(), a.ip()))
                        .orElseThrow(() -> new IllegalStateException("interface " + device + " has no IPv4 address"));
            }
        }
        throw new IllegalStateException(device.isEmpty() ? "no interface has an address in " + subnet(vipIp, prefix)
                : "no interface " + device + " (or it is down)");
    }

    static boolean sameSubnet(String a, String b, int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (toInt(a) & mask) == (toInt(b) & mask);
    }

    private static String subnet(String ip, int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        int network = toInt(ip) & mask;
        return ((network >>> 24) & 0xff) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "."
                + (network & 0xff) + "/" + prefix;
    }

    private static int toInt(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 literal: " + ip, e);
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (SocketException e) {
            return false;
        }
    }
}
