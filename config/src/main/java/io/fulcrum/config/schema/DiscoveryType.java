package io.fulcrum.config.schema;

/** A server group's discovery source: {@code srv:NAME}, {@code dns:HOST:PORT} or {@code none} (stored as ""). */
final class DiscoveryType implements FieldType {
    static final String NONE = "none";

    @Override
    public Object parse(String token) {
        return token.equals(NONE) ? "" : check(token);
    }

    @Override
    public Object check(Object value) {
        String text = (String) value;
        return text.isEmpty() ? "" : DiscoverySource.parse(text).toString();
    }

    @Override
    public String format(Object value) {
        return ((String) value).isEmpty() ? NONE : (String) value;
    }

    @Override
    public String describe() {
        return DiscoverySource.FORMS;
    }
}
