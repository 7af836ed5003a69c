package io.fulcrum.dataplane.security;

import io.fulcrum.config.schema.IpLiterals;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fd00::/8}). An IPv4 client reached through
 * an IPv6 socket ({@code ::ffff:a.b.c.d}) matches IPv4 networks. Immutable.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** @throws IllegalArgumentException if {@code text} is not ADDRESS/PREFIX */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = slash > 0 ? IpLiterals.parse(text.substring(0, slash)) : null;
        if (address == null || slash == text.length() - 1 || !text.substring(slash + 1).chars().allMatch(Character::isDigit)
                || text.length() - slash > 4) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (prefix > address.length * 8) {
            throw new IllegalArgumentException("prefix too long in " + text);
        }
        return new Cidr(address, prefix, text);
    }

    public boolean contains(InetAddress client) {
        byte[] address = comparable(client.getAddress());
        if (address.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    /** An IPv4-mapped IPv6 address compares as IPv4 against an IPv4 network. */
    private byte[] comparable(byte[] address) {
        if (address.length == 16 && network.length == 4 && isV4Mapped(address)) {
            byte[] v4 = new byte[4];
            System.arraycopy(address, 12, v4, 0, 4);
            return v4;
        }
        return address;
    }

    private static boolean isV4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return text;
    }
}
