package io.fulcrum.config.schema;

import java.util.regex.Pattern;

/** The syntax of resource names. Built-in names (in parentheses) are references only. */
public final class Names {
    /** In words, for error messages. */
    public static final String RULE =
            "1 to 128 letters, digits, '.', '_', '-' or ':', starting with a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
