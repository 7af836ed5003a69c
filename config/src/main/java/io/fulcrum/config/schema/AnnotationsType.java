package io.fulcrum.config.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A JSON object whose values are strings: {@code {"fulcrum/hc-http-uri":"/health"}}. Stored with
 * sorted keys. Keys under {@code fulcrum/} must be among {@code known} and pass their check.
 */
final class AnnotationsType implements FieldType {
    static final int MAX_ENTRIES = 64;
    static final int MAX_KEY = 253;
    static final int MAX_VALUE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WHAT = "a JSON object with string values, e.g. {\"key\":\"value\"}";

    private final Map<String, AnnotationKey> known;

    AnnotationsType(List<AnnotationKey> known) {
        this.known = known.stream().collect(Collectors.toMap(AnnotationKey::key, k -> k));
    }

    List<AnnotationKey> knownKeys() {
        return known.values().stream().sorted(java.util.Comparator.comparing(AnnotationKey::key)).toList();
    }

    @Override
    public Object parse(String token) {
        JsonNode node;
        try {
            node = JSON.readTree(token);
        } catch (JsonProcessingException e) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
        if (node == null || !node.isObject()) {
            throw InvalidValueException.mustBe(WHAT, token);
        }
        Map<String, String> values = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new InvalidValueException("must be " + WHAT + ", but the value of \"" + entry.getKey()
                        + "\" is not a string (quote it)");
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return check(values);
    }

    @Override
    public Object check(Object value) {
        @SuppressWarnings("unchecked")
        Map<String, String> values = new TreeMap<>((Map<String, String>) value);
        if (values.size() > MAX_ENTRIES) {
            throw new InvalidValueException("must have at most " + MAX_ENTRIES + " entries, got " + values.size());
        }
        for (Map.Entry<String, String> entry : values.entrySet()) {
            checkEntry(entry.getKey(), entry.getValue());
        }
        return values;
    }

    private void checkEntry(String key, String value) {
        if (key.isEmpty() || key.length() > MAX_KEY || value.length() > MAX_VALUE) {
            throw new InvalidValueException("keys must be 1.." + MAX_KEY + " characters and values at most "
                    + MAX_VALUE + ", got key " + InvalidValueException.quote(key));
        }
        if (!key.startsWith(AnnotationKey.PREFIX)) {
            return;
        }
        AnnotationKey spec = known.get(key);
        if (spec == null) {
            String allowed = known.isEmpty() ? "none here" : String.join(", ", known.keySet().stream().sorted().toList());
            throw new InvalidValueException("unknown annotation " + InvalidValueException.quote(key)
                    + " (keys under fulcrum/ are reserved; known here: " + allowed + ")");
        }
        try {
            spec.check().accept(value);
        } catch (InvalidValueException e) {
            throw new InvalidValueException("annotation " + key + " " + e.getMessage());
        }
    }

    @Override
    public String format(Object value) {
        try {
            return JSON.writeValueAsString(new TreeMap<>((Map<?, ?>) value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
