package io.fulcrum.config.schema;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configurable field of a resource kind: its command-language parameter name, its proto
 * field, its type, whether it is required, its default and whether it may be updated. The
 * {@link Schema} table of these drives the parser, validation, rendering and the generated docs.
 * Immutable.
 */
public final class Field {
    private final Kind kind;
    private final String param;
    private final String shortParam;
    private final FieldDescriptor descriptor;
    private final FieldType type;
    private final boolean required;
    private final Object defaultValue;
    private final boolean updatable;
    private final String help;
    private final String onlyWith;

    private Field(Builder b) {
        this.kind = b.kind;
        this.param = b.param;
        this.shortParam = b.shortParam;
        this.descriptor = b.kind.descriptor().findFieldByName(b.protoName);
        if (descriptor == null) {
            throw new IllegalStateException(b.kind + " has no proto field " + b.protoName);
        }
        this.type = b.type;
        this.required = b.required;
        this.defaultValue = b.defaultValue;
        this.updatable = b.updatable;
        this.help = b.help;
        this.onlyWith = b.onlyWith;
    }

    static Builder of(Kind kind, String param, String protoName, FieldType type, String help) {
        return new Builder(kind, param, protoName, type, help);
    }

    public Kind kind() {
        return kind;
    }

    /** The parameter word of the command language, e.g. "acceptor-elg". */
    public String param() {
        return param;
    }

    /** Its short form ("aelg"), or null. */
    public String shortParam() {
        return shortParam;
    }

    /** The proto field name, e.g. "acceptor_event_loop_group" (also the update-mask path). */
    public String protoName() {
        return descriptor.getName();
    }

    public FieldType type() {
        return type;
    }

    public boolean required() {
        return required;
    }

    /** The value a new resource gets when the field is not given; null for required fields. */
    public Object defaultValue() {
        return defaultValue;
    }

    public boolean updatable() {
        return updatable;
    }

    public String help() {
        return help;
    }

    /**
     * The parameter this one depends on (e.g. "discovery" for "discovery-interval"): without it
     * this field stays unset, and is neither rendered nor accepted; null for most fields.
     */
    public String onlyWith() {
        return onlyWith;
    }

    /** False when {@code resource} lacks the parameter this field depends on ({@link #onlyWith()}). */
    public boolean appliesTo(MessageOrBuilder resource) {
        return onlyWith == null || Schema.field(kind, onlyWith).isSet(resource);
    }

    /** The kind this field names, if it is a reference to another resource; null otherwise. */
    public Kind referencedKind() {
        if (type instanceof NameListType list) {
            return list.target();
        }
        return type instanceof NameRefType ref ? ref.target() : null;
    }

    /**
     * The names {@code value} (of this field's type) refers to: one for a reference, each of a
     * list of references, none for an empty list or a field that refers to nothing.
     */
    public List<String> referencedNames(Object value) {
        if (type instanceof NameListType) {
            return NameListType.names((String) value);
        }
        return type instanceof NameRefType ? List.of((String) value) : List.of();
    }

    /** The annotation keys Fulcrum reads from this field, if it holds annotations; else empty. */
    public List<AnnotationKey> annotationKeys() {
        return type instanceof AnnotationsType annotations ? annotations.knownKeys() : List.of();
    }

    /** True if {@code resource} gives this field a value (a zero scalar or empty map gives none). */
    public boolean isSet(MessageOrBuilder resource) {
        if (descriptor.isMapField()) {
            return resource.getRepeatedFieldCount(descriptor) > 0;
        }
        if (descriptor.hasPresence()) {
            return resource.hasField(descriptor);
        }
        return !resource.getField(descriptor).equals(descriptor.getDefaultValue());
    }

    /** The value in {@code resource}, in the representation of {@link FieldType}. */
    public Object get(MessageOrBuilder resource) {
        if (!descriptor.isMapField()) {
            return resource.getField(descriptor);
        }
        Map<String, String> values = new TreeMap<>();
        for (Object entry : (List<?>) resource.getField(descriptor)) {
            MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
            values.put((String) e.getKey(), (String) e.getValue());
        }
        return values;
    }

    public void set(Message.Builder resource, Object value) {
        if (!descriptor.isMapField()) {
            resource.setField(descriptor, value);
            return;
        }
        resource.clearField(descriptor);
        FieldDescriptor keyField = descriptor.getMessageType().findFieldByName("key");
        FieldDescriptor valueField = descriptor.getMessageType().findFieldByName("value");
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            Message.Builder e = resource.newBuilderForField(descriptor);
            e.setField(keyField, entry.getKey());
            e.setField(valueField, entry.getValue());
            resource.addRepeatedField(descriptor, e.build());
        }
    }

    /** The token for the value of this field in {@code resource}. */
    public String format(MessageOrBuilder resource) {
        return type.format(get(resource));
    }

    @Override
    public String toString() {
        return kind.word() + "." + param;
    }

    static final class Builder {
        private final Kind kind;
        private final String param;
        private final String protoName;
        private final FieldType type;
        private final String help;
        private String shortParam;
        private boolean required;
        private Object defaultValue;
        private boolean updatable;
        private String onlyWith;

        private Builder(Kind kind, String param, String protoName, FieldType type, String help) {
            this.kind = kind;
            this.param = param;
            this.protoName = protoName;
            this.type = type;
            this.help = help;
        }

        Builder shortParam(String shortParam) {
            this.shortParam = shortParam;
            return this;
        }

        Builder required() {
            this.required = true;
            return this;
        }

        Builder defaultValue(Object defaultValue) {
            this.defaultValue = defaultValue;
            return this;
        }

        Builder updatable() {
            this.updatable = true;
            return this;
        }

        Builder onlyWith(String param) {
            this.onlyWith = param;
            return this;
        }

        Field build() {
            if (required == (defaultValue != null)) {
                throw new IllegalStateException(kind + "." + param + ": give a default or mark it required");
            }
            return new Field(this);
        }
    }
}
