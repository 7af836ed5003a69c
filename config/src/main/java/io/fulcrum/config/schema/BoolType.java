package io.fulcrum.config.schema;

/** A bool, spelled {@code true} or {@code false}. */
final class BoolType implements FieldType {
    @Override
    public Object parse(String token) {
        return switch (token) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw InvalidValueException.mustBe(describe(), token);
        };
    }

    @Override
    public Object check(Object value) {
        return (Boolean) value;
    }

    @Override
    public String format(Object value) {
        return String.valueOf(value);
    }

    @Override
    public String describe() {
        return "true or false";
    }
}
