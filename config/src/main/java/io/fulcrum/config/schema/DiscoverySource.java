package io.fulcrum.config.schema;

import java.util.Locale;

/**
 * Where a discovered server group's servers come from: the value of its {@code discovery}
 * parameter, parsed. Immutable; parsing never resolves anything.
 *
 * @param type SRV: the SRV records of {@code name}, each one server (its target's address, its port,
 *             weight and priority); HOST: every A/AAAA address of {@code name}, each one server on {@code port}
 * @param name a DNS name, lower case, without a trailing dot
 * @param port the servers' port for HOST; 0 for SRV (each record gives its own)
 */
public record DiscoverySource(Type type, String name, int port) {
    /** In words, for error messages and the reference. */
    public static final String FORMS = "srv:NAME (DNS SRV records, e.g. srv:_redis._tcp.service.consul), "
            + "dns:HOST:PORT (every A/AAAA address of HOST) or none";

    public enum Type { SRV, HOST }

    /**
     * Parses {@code srv:NAME} or {@code dns:HOST:PORT}.
     *
     * @throws InvalidValueException saying which forms are allowed
     */
    public static DiscoverySource parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("srv:")) {
            String name = stripDot(lower.substring(4));
            if (!isDnsName(name)) {
                throw InvalidValueException.mustBe(FORMS + "; NAME is a DNS name whose labels may start with '_'", text);
            }
            return new DiscoverySource(Type.SRV, name, 0);
        }
        if (lower.startsWith("dns:")) {
            HostPort hostPort;
            try {
                hostPort = HostPort.parse(lower.substring(4), true);
            } catch (InvalidValueException e) {
                throw InvalidValueException.mustBe(FORMS, text);
            }
            if (hostPort.ip()) {
                throw new InvalidValueException("dns: needs a host name, got the IP address " + hostPort.host()
                        + " (a fixed address is a server: add server NAME to server-group GROUP address "
                        + hostPort + ")");
            }
            return new DiscoverySource(Type.HOST, hostPort.host(), hostPort.port());
        }
        throw InvalidValueException.mustBe(FORMS, text);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** Labels of letters, digits, '-' and '_' (SRV names start with "_service._proto"), 1..63 each, 253 in all. */
    static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return type == Type.SRV ? "srv:" + name : "dns:" + name + ":" + port;
    }
}
