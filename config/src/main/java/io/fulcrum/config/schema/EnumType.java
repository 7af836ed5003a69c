package io.fulcrum.config.schema;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A proto enum spelled by its value names without the type prefix, in lower case
 * ({@code BALANCE_METHOD_WRR} is "wrr") or upper case ("TCP"). Tokens are matched ignoring case.
 * {@code unsupported} lists words that exist in vproxy's language but not (yet) in Fulcrum.
 */
final class EnumType implements FieldType {
    private final Map<String, EnumValueDescriptor> byToken = new LinkedHashMap<>();
    private final boolean upperCase;
    private final Set<String> unsupported;

    EnumType(EnumDescriptor type, String prefix, boolean upperCase, Set<String> unsupported) {
        this.upperCase = upperCase;
        this.unsupported = unsupported;
        for (EnumValueDescriptor value : type.getValues()) {
            if (value.getNumber() != 0) {
                byToken.put(value.getName().substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        }
    }

    @Override
    public Object parse(String token) {
        String key = token.toLowerCase(Locale.ROOT);
        EnumValueDescriptor value = byToken.get(key);
        if (value != null) {
            return value;
        }
        if (unsupported.contains(key)) {
            throw new InvalidValueException(token + " is not supported by Fulcrum, allowed: " + allowed());
        }
        throw InvalidValueException.mustBe(describe(), token);
    }

    @Override
    public Object check(Object value) {
        EnumValueDescriptor v = (EnumValueDescriptor) value;
        if (!byToken.containsValue(v)) {
            throw InvalidValueException.mustBe(describe(), v.getNumber() == 0 ? "unspecified" : v.getName());
        }
        return v;
    }

    @Override
    public String format(Object value) {
        for (Map.Entry<String, EnumValueDescriptor> entry : byToken.entrySet()) {
            if (entry.getValue().equals(value)) {
                return upperCase ? entry.getKey().toUpperCase(Locale.ROOT) : entry.getKey();
            }
        }
        throw new IllegalArgumentException("not a value of this type: " + value);
    }

    @Override
    public String describe() {
        return "one of " + allowed();
    }

    private String allowed() {
        List<String> tokens = new ArrayList<>();
        for (String token : byToken.keySet()) {
            tokens.add(upperCase ? token.toUpperCase(Locale.ROOT) : token);
        }
        return String.join(", ", tokens);
    }

    List<String> tokens() {
        return new ArrayList<>(byToken.keySet());
    }
}
