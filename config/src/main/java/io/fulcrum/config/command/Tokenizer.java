package io.fulcrum.config.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into tokens: words separated by white space, a double-quoted JSON
 * string (its unquoted value is the token), or a JSON object {@code {...}} kept whole (for
 * annotations, which may contain spaces).
 */
final class Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tokenizer() {
    }

    static List<String> tokenize(String line) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = endOfString(line, i);
                tokens.add(unquote(line.substring(i, end)));
                i = end;
            } else if (c == '{') {
                int end = endOfObject(line, i);
                tokens.add(line.substring(i, end));
                i = end;
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                tokens.add(line.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /** Index after the closing quote of the string starting at {@code start}. */
    private static int endOfString(String line, int start) {
        for (int i = start + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new CommandException("unterminated string starting at column " + (start + 1) + ": close it with \"");
    }

    /** Index after the brace closing the JSON object starting at {@code start}. */
    private static int endOfObject(String line, int start) {
        int depth = 0;
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                i = endOfString(line, i) - 1;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
        }
        throw new CommandException("unterminated JSON object starting at column " + (start + 1) + ": close it with }");
    }

    private static String unquote(String quoted) {
        try {
            return JSON.readValue(quoted, String.class);
        } catch (JsonProcessingException e) {
            throw new CommandException("invalid string " + quoted + ": must be a JSON string (escape \" and \\ with \\)");
        }
    }
}
