package io.fulcrum.config.schema;

/**
 * An int32 in a range whose stored 0 means "the default": used for parameters that only apply
 * when another one is set (discovery), so groups without it store and render nothing for them.
 * {@link #format} shows 0 as the default it stands for.
 */
final class DefaultedIntType implements FieldType {
    private final IntType range;
    private final int effectiveDefault;

    DefaultedIntType(int min, int max, String unit, int effectiveDefault) {
        this.range = new IntType(min, max, unit);
        this.effectiveDefault = effectiveDefault;
    }

    /** The value in effect: {@code stored}, or the default when it is 0. */
    int effective(int stored) {
        return stored == 0 ? effectiveDefault : stored;
    }

    @Override
    public Object parse(String token) {
        return range.parse(token);
    }

    @Override
    public Object check(Object value) {
        return (Integer) value == 0 ? 0 : range.check(value);
    }

    @Override
    public String format(Object value) {
        return String.valueOf(effective((Integer) value));
    }

    @Override
    public String describe() {
        return range.describe();
    }
}
