package io.fulcrum.config.schema;

/** An int32 within an inclusive range, optionally with a unit ("ms", "bytes"). */
final class IntType implements FieldType {
    private final int min;
    private final int max;
    private final String unit;

    IntType(int min, int max, String unit) {
        this.min = min;
        this.max = max;
        this.unit = unit;
    }

    @Override
    public Object parse(String token) {
        int value;
        try {
            value = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw InvalidValueException.mustBe(describe(), token);
        }
        return check(value);
    }

    @Override
    public Object check(Object value) {
        int v = (Integer) value;
        if (v < min || v > max) {
            throw InvalidValueException.mustBe(describe(), v);
        }
        return v;
    }

    @Override
    public String format(Object value) {
        return String.valueOf(value);
    }

    @Override
    public String describe() {
        String range = max == Integer.MAX_VALUE ? (min == 1 ? " > 0" : " >= " + min) : " " + min + ".." + max;
        return "an integer" + range + (unit.isEmpty() ? "" : " (" + unit + ")");
    }
}
