package io.fulcrum.config.schema;

import io.fulcrum.proto.v1.PortRange;

/** {@code MIN,MAX}: an inclusive port range, 1 <= MIN <= MAX <= 65535 (vproxy's syntax). */
final class PortRangeType implements FieldType {
    private static final String WHAT = "MIN,MAX with 1 <= MIN <= MAX <= 65535";

    @Override
    public Object parse(String token) {
        String[] parts = token.split(",", -1);
        if (parts.length != 2) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
        try {
            return check(PortRange.newBuilder().setMin(Integer.parseInt(parts[0].trim()))
                    .setMax(Integer.parseInt(parts[1].trim())).build());
        } catch (NumberFormatException e) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
    }

    @Override
    public Object check(Object value) {
        PortRange range = (PortRange) value;
        if (range.getMin() < 1 || range.getMin() > range.getMax() || range.getMax() > 65535) {
            throw InvalidValueException.mustBe(WHAT, format(range));
        }
        return range;
    }

    @Override
    public String format(Object value) {
        PortRange range = (PortRange) value;
        return range.getMin() + "," + range.getMax();
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
