package io.fulcrum.config.schema;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without ever touching DNS, and written in their canonical form
 * (dotted quad; RFC 5952 for IPv6).
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** The 4 or 16 address bytes of an IPv4 or IPv6 literal (no brackets), or null if it is none. */
    public static byte[] parse(String text) {
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        return parseV4(text);
    }

    private static byte[] parseV4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] parseV6(String text) {
        // Only hex digits, ':' and '.' (an embedded IPv4 tail): such a string can never be a host
        // name, so InetAddress parses it as a literal and never resolves anything.
        if (text.length() > 45 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(text).getAddress();
            return bytes.length == 16 ? bytes : mappedV4(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] mappedV4(byte[] v4) {
        // InetAddress turns ::ffff:a.b.c.d into an IPv4 address; keep it an IPv6 literal.
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(v4, 0, bytes, 12, 4);
        return bytes;
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 for IPv6 (no brackets). */
    public static String format(byte[] bytes) {
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The canonical literal of {@code text}, or null if it is not an IP literal. */
    public static String canonical(String text) {
        byte[] bytes = parse(text);
        return bytes == null ? null : format(bytes);
    }
}
