package io.fulcrum.config.schema;

/**
 * A {@code Host} header value: a host name or IP, optionally with {@code :PORT} ({@code [v6]:PORT}
 * for IPv6); empty (spelled {@code none}) keeps the client's. The same check as the health
 * check's {@code fulcrum/hc-http-host}.
 */
final class HostHeaderType extends WordForEmptyType {
    HostHeaderType() {
        super("none");
    }

    /** True when {@code value} may be sent as a Host header. */
    static boolean valid(String value) {
        return !value.isEmpty() && value.length() <= 255 && value.matches("[A-Za-z0-9.\\-:\\[\\]]+");
    }

    @Override
    String checkText(String text) {
        if (!valid(text)) {
            throw InvalidValueException.mustBe(describe(), text);
        }
        return text;
    }

    @Override
    public String describe() {
        return "a host name or HOST:PORT, or none (the client's Host is kept)";
    }
}
