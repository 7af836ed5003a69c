package io.fulcrum.config.schema;

/** {@code IP:PORT} (a listener's bind address) or {@code HOST:PORT} (a server, host names allowed). */
final class AddressType implements FieldType {
    private final boolean allowHostName;

    AddressType(boolean allowHostName) {
        this.allowHostName = allowHostName;
    }

    @Override
    public Object parse(String token) {
        return check(token);
    }

    @Override
    public Object check(Object value) {
        return HostPort.parse((String) value, allowHostName).toString();
    }

    @Override
    public String format(Object value) {
        return (String) value;
    }

    @Override
    public String describe() {
        return allowHostName ? "HOST:PORT (IPv4, [IPv6] or a host name; port 1..65535)"
                : "IP:PORT (IPv4 or [IPv6]; port 1..65535)";
    }
}
