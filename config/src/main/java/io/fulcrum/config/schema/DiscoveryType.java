package io.fulcrum.config.schema;

/** A server group's discovery source: {@code srv:NAME}, {@code dns:HOST:PORT} or {@code none} (stored as ""). */
final class DiscoveryType extends WordForEmptyType {
    static final String NONE = "none";

    DiscoveryType() {
        super(NONE);
    }

    @Override
    String checkText(String text) {
        return DiscoverySource.parse(text).toString();
    }

    @Override
    public String describe() {
        return DiscoverySource.FORMS;
    }
}
