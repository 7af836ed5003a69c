package io.fulcrum.config.schema;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A comma-separated list of names of one kind, in order, without repeats ({@code ck0,ck1}); stored
 * as the same text. Whether the names exist is the model's check ({@link Field#referencedNames}).
 */
final class NameListType implements FieldType {
    private final Kind target;

    NameListType(Kind target) {
        this.target = target;
    }

    Kind target() {
        return target;
    }

    static List<String> names(String stored) {
        return stored.isEmpty() ? List.of() : List.of(stored.split(","));
    }

    @Override
    public Object parse(String token) {
        return token.equals("none") ? "" : check(token);
    }

    @Override
    public Object check(Object value) {
        String text = ((String) value).trim();
        if (text.isEmpty()) {
            return "";
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            if (!Names.isValid(name) || !names.add(name)) {
                throw InvalidValueException.mustBe(describe(), text);
            }
        }
        return String.join(",", new ArrayList<>(names));
    }

    @Override
    public String format(Object value) {
        return ((String) value).isEmpty() ? "none" : (String) value;
    }

    @Override
    public String describe() {
        return "a comma-separated list of names of " + target.word() + "s, each once, or none";
    }
}
