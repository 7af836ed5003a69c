package io.fulcrum.config.schema;

/**
 * A text field whose empty value is spelled by a word ({@code none}, {@code server}): the word
 * parses to "" and "" formats as the word; other values pass {@link #checkText}.
 */
abstract class WordForEmptyType implements FieldType {
    private final String word;

    WordForEmptyType(String word) {
        this.word = word;
    }

    /** The normalized form of a non-empty value. @throws InvalidValueException saying what is allowed */
    abstract String checkText(String text);

    @Override
    public final Object parse(String token) {
        return token.equals(word) ? "" : check(token);
    }

    @Override
    public final Object check(Object value) {
        String text = (String) value;
        return text.isEmpty() ? "" : checkText(text);
    }

    @Override
    public final String format(Object value) {
        return ((String) value).isEmpty() ? word : (String) value;
    }
}
