package io.fulcrum.config.schema;

import java.util.Locale;

/**
 * The name a server group sends as TLS SNI and verifies the servers' certificates against: a DNS
 * name (lower-cased), not an IP; empty (spelled {@code server}) means the server's own host name.
 */
final class SniNameType extends WordForEmptyType {
    SniNameType() {
        super("server");
    }

    @Override
    String checkText(String value) {
        String text = value.toLowerCase(Locale.ROOT);
        boolean ip = text.matches("[0-9.]+") || text.contains(":");
        if (ip || text.length() > 253 || !AnnotationKey.isHostName(text)) {
            throw InvalidValueException.mustBe(describe(), value);
        }
        return text;
    }

    @Override
    public String describe() {
        return "a DNS name (not an IP), or server (the server's host name; none for an IP address)";
    }
}
