package io.fulcrum.config.schema;

/** A field type whose value is a string: a token parses by the same check a typed value gets, and formats as itself. */
abstract class TextType implements FieldType {
    @Override
    public final Object parse(String token) {
        return check(token);
    }

    @Override
    public final String format(Object value) {
        return (String) value;
    }
}
