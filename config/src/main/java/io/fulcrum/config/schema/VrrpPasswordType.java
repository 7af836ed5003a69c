package io.fulcrum.config.schema;

/** A VRRPv2 simple password: 1..8 printable ASCII characters without whitespace, quotes, '\', '#' or '!'. */
final class VrrpPasswordType extends TextType {
    private static final String WHAT = "1..8 printable ASCII characters without whitespace, quotes, '\\', '#' or '!'";

    @Override
    public Object check(Object value) {
        String text = (String) value;
        if (text.isEmpty()) {
            return text;
        }
        boolean valid = text.length() <= 8 && text.chars().allMatch(c -> c > ' ' && c < 127 && "\"'\\#!".indexOf(c) < 0);
        if (!valid) {
            // the value itself is not repeated: it is a secret, even if a weak one
            throw new InvalidValueException("must be " + WHAT + " (got " + text.length() + " characters)");
        }
        return text;
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
