package io.fulcrum.config.schema;

import java.util.Locale;

/**
 * The name a server group sends as TLS SNI and verifies the servers' certificates against: a DNS
 * name (lower-cased), not an IP; empty (spelled {@code server}) means the server's own host name.
 */
final class SniNameType implements FieldType {
    static final String SERVER = "server";

    @Override
    public Object parse(String token) {
        return token.equals(SERVER) ? "" : check(token);
    }

    @Override
    public Object check(Object value) {
        String text = ((String) value).toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            return "";
        }
        boolean ip = text.matches("[0-9.]+") || text.contains(":");
        if (ip || text.length() > 253 || !AnnotationKey.isHostName(text)) {
            throw InvalidValueException.mustBe(describe(), value);
        }
        return text;
    }

    @Override
    public String format(Object value) {
        return ((String) value).isEmpty() ? SERVER : (String) value;
    }

    @Override
    public String describe() {
        return "a DNS name (not an IP), or server (the server's host name; none for an IP address)";
    }
}
