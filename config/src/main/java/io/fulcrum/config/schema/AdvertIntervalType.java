package io.fulcrum.config.schema;

/**
 * A VRRP advertisement interval in ms: whole seconds 1000..255000 (VRRPv2), or 10..40950 in steps
 * of 10 ms (VRRPv3, for sub-second failover).
 */
final class AdvertIntervalType implements FieldType {
    private static final String WHAT = "an interval in ms: whole seconds 1000..255000 (VRRPv2), "
            + "or 10..40950 in steps of 10 (VRRPv3)";

    @Override
    public Object parse(String token) {
        try {
            return check(Integer.parseInt(token));
        } catch (NumberFormatException e) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
    }

    @Override
    public Object check(Object value) {
        int ms = (Integer) value;
        boolean v2 = ms >= 1000 && ms <= 255_000 && Vrrp.version(ms) == 2;
        boolean v3 = ms >= 10 && ms <= 40_950 && ms % 10 == 0;
        if (!v2 && !v3) {
            throw InvalidValueException.mustBe(WHAT, ms);
        }
        return ms;
    }

    @Override
    public String format(Object value) {
        return String.valueOf(value);
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
