package io.fulcrum.config.schema;

/**
 * The value type of one resource field: how a command-language token becomes a proto field value,
 * how a value from a typed mutation is checked, and how a value is written back as a token.
 *
 * <p>Values are those of protobuf reflection: {@code Integer} for int32, {@code String},
 * {@code EnumValueDescriptor} for enums, {@code Message} for message fields, and
 * {@code Map<String,String>} for maps. Implementations are immutable and thread-safe.
 */
public interface FieldType {
    /**
     * Parses a token of the command language.
     *
     * @throws InvalidValueException saying what is allowed
     */
    Object parse(String token);

    /**
     * Checks a value that came from a typed mutation and returns its normalized form.
     *
     * @throws InvalidValueException saying what is allowed
     */
    Object check(Object value);

    /** The token that {@link #parse} turns back into {@code value}. */
    String format(Object value);

    /**
     * The value as logs, change records and {@code apply --dry-run} show it: {@link #format} for
     * most types; a summary for long values and a placeholder for secrets.
     */
    default String display(Object value) {
        return format(value);
    }

    /** What a valid value is, in words: "an integer > 0", "one of wrr, wlc, source". */
    String describe();
}
