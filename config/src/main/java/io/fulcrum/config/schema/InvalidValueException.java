package io.fulcrum.config.schema;

/**
 * A value that a {@link FieldType} does not accept. The message says what the value must be and
 * what was given ("must be an integer > 0, got \"two\""); {@link Field} prefixes the parameter.
 */
public final class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }

    /** The standard wording: {@code must be <what>, got "<token>"}. */
    public static InvalidValueException mustBe(String what, Object got) {
        return new InvalidValueException("must be " + what + ", got " + quote(String.valueOf(got)));
    }

    static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
