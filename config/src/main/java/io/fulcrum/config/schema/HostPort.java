package io.fulcrum.config.schema;

/**
 * A parsed {@code HOST:PORT}: an IPv4 literal, {@code [IPv6]} or (where allowed) a host name.
 *
 * @param host the canonical host: an IP literal without brackets, or a lower-case host name
 * @param ip   true when host is an IP literal
 */
public record HostPort(String host, int port, boolean ip) {

    /** Parses {@code text}; {@code allowHostName} admits DNS names. Never resolves anything. */
    public static HostPort parse(String text, boolean allowHostName) {
        String what = allowHostName ? "HOST:PORT (IPv4, [IPv6] or a host name, port 1..65535)"
                : "IP:PORT (IPv4 or [IPv6], port 1..65535)";
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw InvalidValueException.mustBe(what, text);
        }
        String hostText = text.substring(0, colon);
        int port = parsePort(text.substring(colon + 1), what, text);
        if (hostText.startsWith("[") && hostText.endsWith("]")) {
            byte[] bytes = IpLiterals.parse(hostText.substring(1, hostText.length() - 1));
            if (bytes == null || bytes.length != 16) {
                throw InvalidValueException.mustBe(what, text);
            }
            return new HostPort(IpLiterals.format(bytes), port, true);
        }
        byte[] bytes = hostText.indexOf(':') >= 0 ? null : IpLiterals.parse(hostText);
        if (bytes != null) {
            return new HostPort(IpLiterals.format(bytes), port, true);
        }
        if (allowHostName && isHostName(hostText)) {
            return new HostPort(hostText.toLowerCase(java.util.Locale.ROOT), port, false);
        }
        throw InvalidValueException.mustBe(what, text);
    }

    private static int parsePort(String text, String what, String whole) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw InvalidValueException.mustBe(what, whole);
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw InvalidValueException.mustBe(what, whole);
        }
        return port;
    }

    /** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
    static boolean isHostName(String text) {
        if (text.isEmpty() || text.length() > 253 || text.endsWith(".")) {
            return false;
        }
        for (String label : text.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-'))) {
                return false;
            }
        }
        // an all-numeric name would be a malformed IPv4 literal
        return !text.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** True for 0.0.0.0 and ::. */
    public boolean isWildcard() {
        return ip && (host.equals("0.0.0.0") || host.equals("::"));
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
