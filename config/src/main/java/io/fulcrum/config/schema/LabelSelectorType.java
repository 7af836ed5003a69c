package io.fulcrum.config.schema;

import java.util.Map;
import java.util.TreeMap;

/**
 * A label selector over the data planes' {@code --label KEY=VALUE}s: {@code role=edge,zone=a}
 * matches the nodes that have every pair. Stored with sorted keys; empty matches every node.
 */
final class LabelSelectorType implements FieldType {
    static final int MAX_PAIRS = 16;
    private static final String WHAT = "KEY=VALUE pairs separated by commas, such as role=edge,zone=a "
            + "(keys and values of letters, digits, '.', '_', '-' and '/')";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Object parse(String token) {
        if (token.isEmpty()) {
            return Map.of();
        }
        if (token.startsWith("{")) {
            return parseObject(token);
        }
        Map<String, String> pairs = new TreeMap<>();
        for (String pair : token.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw InvalidValueException.mustBe(WHAT, token);
            }
            String key = pair.substring(0, eq);
            if (pairs.put(key, pair.substring(eq + 1)) != null) {
                throw new InvalidValueException("names the label " + InvalidValueException.quote(key) + " twice");
            }
        }
        return check(pairs);
    }

    /** A manifest may give the selector as a mapping: {@code selector: {role: edge}}. */
    private Object parseObject(String token) {
        Map<String, String> pairs = new TreeMap<>();
        try {
            JSON.readTree(token).fields().forEachRemaining(e -> pairs.put(e.getKey(), e.getValue().asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
        return check(pairs);
    }

    @Override
    public Object check(Object value) {
        @SuppressWarnings("unchecked")
        Map<String, String> pairs = new TreeMap<>((Map<String, String>) value);
        if (pairs.size() > MAX_PAIRS) {
            throw new InvalidValueException("must have at most " + MAX_PAIRS + " pairs, got " + pairs.size());
        }
        pairs.forEach((key, label) -> {
            if (!valid(key, false) || !valid(label, true)) {
                throw InvalidValueException.mustBe(WHAT, key + "=" + label);
            }
        });
        return pairs;
    }

    private static boolean valid(String text, boolean mayBeEmpty) {
        return (mayBeEmpty || !text.isEmpty()) && text.length() <= 253
                && text.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || ".-_/".indexOf(c) >= 0);
    }

    @Override
    public String format(Object value) {
        StringBuilder text = new StringBuilder();
        ((Map<?, ?>) value).forEach((key, label) -> text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(label));
        return text.toString();
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
