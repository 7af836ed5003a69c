package io.fulcrum.config.schema;

/** A network interface name as Linux allows it (1..15 characters, no '/', ':' or whitespace), or empty. */
final class InterfaceNameType extends TextType {
    private static final String WHAT = "an interface name such as eth0 (1..15 characters, no '/', ':' or whitespace)";

    @Override
    public Object check(Object value) {
        String text = (String) value;
        if (text.isEmpty()) {
            return text;
        }
        boolean valid = text.length() <= 15 && !text.equals(".") && !text.equals("..")
                && text.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':' && c != '"' && c != '\\');
        if (!valid) {
            throw InvalidValueException.mustBe(WHAT, text);
        }
        return text;
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
