package io.fulcrum.config.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The DNS servers a discovered server group asks, in order: {@code IP[:PORT],...} (port 53 when
 * left out), or {@code system} (stored as ""): the resolvers of the control-plane leader's
 * /etc/resolv.conf.
 */
public final class ResolverList implements FieldType {
    static final String SYSTEM = "system";
    private static final String WHAT = "system or a comma-separated list of IP[:PORT] (IPv4 or [IPv6], port 53 "
            + "when left out), e.g. 127.0.0.1:8600";

    /** The addresses in {@code stored} (a normalized value), empty for the system resolver. */
    public static List<HostPort> addresses(String stored) {
        List<HostPort> addresses = new ArrayList<>();
        if (stored.isEmpty()) {
            return addresses;
        }
        for (String part : stored.split(",")) {
            addresses.add(HostPort.parse(part, false));
        }
        return addresses;
    }

    @Override
    public Object parse(String token) {
        return token.equals(SYSTEM) ? "" : check(token);
    }

    @Override
    public Object check(Object value) {
        String text = ((String) value).trim();
        if (text.isEmpty()) {
            return "";
        }
        List<String> normalized = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String address = part.trim();
            boolean hasPort = address.startsWith("[") ? address.contains("]:") : address.contains(":");
            try {
                normalized.add(HostPort.parse(hasPort ? address : address + ":53", false).toString());
            } catch (InvalidValueException e) {
                throw InvalidValueException.mustBe(WHAT, text);
            }
        }
        return String.join(",", normalized);
    }

    @Override
    public String format(Object value) {
        return ((String) value).isEmpty() ? SYSTEM : (String) value;
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
