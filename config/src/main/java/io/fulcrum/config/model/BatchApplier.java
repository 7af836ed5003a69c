package io.fulcrum.config.model;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.InvalidValueException;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Names;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Applies the mutations of one batch to a private working copy of a model. Generic over kinds:
 * the {@link Schema} says which fields exist, which are required, updatable or references; the
 * few rules that are not about single fields are in {@link ModelRules}. Not thread-safe; used
 * once.
 */
final class BatchApplier {
    private final ConfigModel base;
    private final Map<Kind, Map<String, Message>> written = new EnumMap<>(Kind.class);
    private final List<Change> changes = new ArrayList<>();
    private final boolean byDiscovery;

    /** @param byDiscovery the batch comes from discovery (or restores a stored config): it may write discovered servers */
    BatchApplier(ConfigModel base, boolean byDiscovery) {
        this.base = base;
        this.byDiscovery = byDiscovery;
    }

    void apply(Mutation mutation) {
        Target target = Target.of(mutation);
        switch (mutation.getAction()) {
            case MUTATION_ACTION_ADD -> add(target);
            case MUTATION_ACTION_UPDATE -> update(target, mutation.getUpdateMask());
            case MUTATION_ACTION_REMOVE -> remove(target);
            default -> throw ValidationException.invalid("a mutation needs an action: add, update or remove");
        }
    }

    void checkInvariants() {
        ModelRules.checkEventLoopsPresent(this);
        VipRules.check(this);
        CertKeyRules.check(this);
    }

    Map<Kind, Map<String, Message>> result() {
        Map<Kind, Map<String, Message>> result = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.topLevel()) {
            Map<String, Message> changed = written.get(kind);
            result.put(kind, changed == null ? base.resourcesOf(kind) : Collections.unmodifiableMap(changed));
        }
        return Collections.unmodifiableMap(result);
    }

    List<Change> changes() {
        return List.copyOf(changes);
    }

    // ---- reading the working copy

    Map<String, Message> read(Kind topLevel) {
        Map<String, Message> changed = written.get(topLevel);
        return changed != null ? changed : base.resourcesOf(topLevel);
    }

    private Map<String, Message> write(Kind topLevel) {
        return written.computeIfAbsent(topLevel, k -> new LinkedHashMap<>(base.resourcesOf(k)));
    }

    /** True if {@code resource} is new or differs from the base model's resource of that name. */
    boolean changed(Kind topLevel, Message resource) {
        return !resource.equals(base.resourcesOf(topLevel).get(topLevel.nameOf(resource)));
    }

    boolean exists(Kind kind, String name) {
        return kind.isBuiltIn(name) || read(kind).containsKey(name);
    }

    /** Every resource of {@code kind} with its container's name (null for top-level kinds). */
    void forEach(Kind kind, BiConsumer<String, Message> action) {
        if (!kind.isNested()) {
            read(kind).values().forEach(resource -> action.accept(null, resource));
            return;
        }
        for (Message container : read(kind.parent()).values()) {
            for (Message child : children(container, kind)) {
                action.accept(kind.parent().nameOf(container), child);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static List<Message> children(Message container, Kind kind) {
        return (List<Message>) container.getField(kind.listField());
    }

    static Message child(Message container, Kind kind, String name) {
        for (Message child : children(container, kind)) {
            if (kind.nameOf(child).equals(name)) {
                return child;
            }
        }
        return null;
    }

    // ---- add

    private void add(Target target) {
        Kind kind = target.kind();
        String name = target.name();
        checkNewName(kind, name);
        if (kind.isNested()) {
            Message container = requireChangeableContainer(target);
            checkOwner(kind, container);
            if (child(container, kind, name) != null) {
                throw new ValidationException(Reason.ALREADY_EXISTS, "Duplicated entry for " + kind.word()
                        + " with name " + name + " in " + kind.parent().word() + " " + target.parent());
            }
            Message created = create(kind, name, target.resource());
            ModelRules.checkAdd(this, target.parent(), created);
            putContainer(kind.parent(), container.toBuilder().addRepeatedField(kind.listField(), created).build());
            record(Change.Kind.KIND_CREATED, new Target(kind, target.parent(), created), MutationAction.MUTATION_ACTION_ADD, null);
            return;
        }
        if (exists(kind, name)) {
            throw new ValidationException(Reason.ALREADY_EXISTS, "Duplicated entry for " + kind.word() + " with name " + name);
        }
        Message created = create(kind, name, target.resource());
        if (kind == Kind.SERVER_GROUP) {
            created = DependentFields.normalize(created, setPaths(kind, target.resource()));
        }
        ModelRules.checkAdd(this, null, created);
        write(kind).put(name, created);
        record(Change.Kind.KIND_CREATED, new Target(kind, null, created), MutationAction.MUTATION_ACTION_ADD, null);
    }

    private void checkNewName(Kind kind, String name) {
        Kind referred = kind.nameRefersTo();
        if (referred != null) {
            requireReference(referred, name);
            return;
        }
        if (!Names.isValid(name)) {
            String builtIn = name.startsWith("(") ? " (names in parentheses are reserved for built-in resources)" : "";
            throw ValidationException.invalid("invalid name " + quote(name) + " for " + kind.withArticle() + ": must be "
                    + Names.RULE + builtIn);
        }
    }

    /** A new resource: the given fields checked, the others set to their defaults. */
    private Message create(Kind kind, String name, Message given) {
        rejectFieldsOutsideSchema(kind, given);
        Message.Builder created = kind.newBuilder();
        kind.setName(created, name);
        for (Field field : Schema.fields(kind)) {
            if (field.isSet(given)) {
                field.set(created, checked(field, field.get(given)));
            } else if (field.required()) {
                throw ValidationException.invalid("missing parameter " + field.param() + " (" + field.help() + ": "
                        + field.type().describe() + ")");
            } else {
                field.set(created, field.defaultValue());
            }
        }
        return created.build();
    }

    private static void rejectFieldsOutsideSchema(Kind kind, Message given) {
        for (FieldDescriptor descriptor : given.getAllFields().keySet()) {
            if (descriptor.equals(kind.nameField()) || Schema.fieldByProtoName(kind, descriptor.getName()) != null) {
                continue;
            }
            String hint = kind.children().stream().filter(c -> c.listField().equals(descriptor))
                    .map(c -> " (use: add " + c.word() + " NAME to " + kind.word() + " " + kind.nameOf(given) + ")")
                    .findFirst().orElse("");
            throw ValidationException.invalid("field " + descriptor.getName() + " cannot be set here" + hint);
        }
    }

    private Object checked(Field field, Object value) {
        Object normalized;
        try {
            normalized = field.type().check(value);
        } catch (InvalidValueException e) {
            throw ValidationException.invalid("invalid value for " + field.param() + ": " + e.getMessage());
        }
        for (String name : field.referencedNames(normalized)) {
            requireReference(field.referencedKind(), name);
        }
        return normalized;
    }

    private void requireReference(Kind kind, String name) {
        if (!exists(kind, name)) {
            throw notFound(kind, name, null);
        }
    }

    // ---- update

    private void update(Target target, FieldMask mask) {
        Kind kind = target.kind();
        List<Field> updatable = Schema.updatableFields(kind);
        if (updatable.isEmpty()) {
            throw ValidationException.invalid("unsupported action update for " + kind.word());
        }
        String allowed = String.join(", ", updatable.stream().map(Field::param).toList());
        if (mask.getPathsCount() == 0) {
            throw ValidationException.invalid("nothing to update: give at least one of " + allowed);
        }
        Message existing = requireExisting(target);
        if (kind.isNested()) {
            checkOwner(kind, read(kind.parent()).get(target.parent()));
        }
        Message.Builder changed = existing.toBuilder();
        for (String path : mask.getPathsList()) {
            Field field = Schema.fieldByProtoName(kind, path);
            if (field == null || !field.updatable()) {
                String what = field == null ? "field " + path : "parameter " + field.param();
                throw ValidationException.invalid(what + " of " + kind.word() + " cannot be updated; updatable: " + allowed);
            }
            if (field.isSet(target.resource())) {
                field.set(changed, checked(field, field.get(target.resource())));
            } else if (field.required()) {
                throw ValidationException.invalid("missing value for " + field.param() + " (" + field.type().describe() + ")");
            } else {
                field.set(changed, field.defaultValue());
            }
        }
        Message updated = kind == Kind.SERVER_GROUP
                ? DependentFields.normalize(changed.build(), mask.getPathsList()) : changed.build();
        replace(kind, target.parent(), updated);
        record(Change.Kind.KIND_CONFIGURED, new Target(kind, target.parent(), updated), MutationAction.MUTATION_ACTION_UPDATE, mask);
    }

    // ---- remove

    private void remove(Target target) {
        Kind kind = target.kind();
        String name = target.name();
        if (kind.isBuiltIn(name)) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, kind.word() + " " + name + " is built in and cannot be removed");
        }
        Message existing = requireExisting(target);
        if (kind.isNested()) {
            checkOwner(kind, read(kind.parent()).get(target.parent()));
        }
        String user = ModelRules.findUser(this, kind, name);
        if (user != null) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, kind.word() + " " + name + " is used by " + user);
        }
        if (kind.isNested()) {
            Message container = read(kind.parent()).get(target.parent());
            Message.Builder without = container.toBuilder().clearField(kind.listField());
            for (Message child : children(container, kind)) {
                if (child != existing) {
                    without.addRepeatedField(kind.listField(), child);
                }
            }
            putContainer(kind.parent(), without.build());
        } else {
            write(kind).remove(name);
        }
        record(Change.Kind.KIND_DELETED, new Target(kind, target.parent(), existing), MutationAction.MUTATION_ACTION_REMOVE, null);
    }

    // ---- shared

    private void checkOwner(Kind kind, Message container) {
        if (kind == Kind.SERVER) {
            DiscoveryRules.checkServerEdit(container, byDiscovery);
        }
    }

    private static List<String> setPaths(Kind kind, Message given) {
        return Schema.fields(kind).stream().filter(f -> f.isSet(given)).map(Field::protoName).toList();
    }

    private Message requireChangeableContainer(Target target) {
        Kind containerKind = target.kind().parent();
        if (containerKind.isBuiltIn(target.parent())) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, containerKind.word() + " " + target.parent()
                    + " is built in and cannot be changed");
        }
        Message container = read(containerKind).get(target.parent());
        if (container == null) {
            throw notFound(containerKind, target.parent(), null);
        }
        return container;
    }

    private Message requireExisting(Target target) {
        Kind kind = target.kind();
        if (!kind.isNested()) {
            Message existing = read(kind).get(target.name());
            if (existing == null) {
                throw notFound(kind, target.name(), null);
            }
            return existing;
        }
        Message existing = child(requireChangeableContainer(target), kind, target.name());
        if (existing == null) {
            throw notFound(kind, target.name(), target.parent());
        }
        return existing;
    }

    private void replace(Kind kind, String parent, Message updated) {
        if (!kind.isNested()) {
            write(kind).put(kind.nameOf(updated), updated);
            return;
        }
        Message container = read(kind.parent()).get(parent);
        Message.Builder changed = container.toBuilder();
        List<Message> children = children(container, kind);
        for (int i = 0; i < children.size(); i++) {
            if (kind.nameOf(children.get(i)).equals(kind.nameOf(updated))) {
                changed.setRepeatedField(kind.listField(), i, updated);
            }
        }
        putContainer(kind.parent(), changed.build());
    }

    private void putContainer(Kind kind, Message container) {
        write(kind).put(kind.nameOf(container), container);
    }

    private void record(Change.Kind change, Target target, MutationAction action, FieldMask mask) {
        Mutation mutation = target.toMutation(action, mask);
        Change.Builder entry = Change.newBuilder().setKind(change).setResourceKind(target.kind().protoKind())
                .setName(target.name()).setCommand(action == MutationAction.MUTATION_ACTION_REMOVE
                        ? ScriptWriter.head(action, target) : ScriptWriter.line(mutation));
        if (target.parent() != null) {
            entry.setParent(target.parent());
        }
        changes.add(entry.build());
    }

    static ValidationException notFound(Kind kind, String name, String parent) {
        String where = parent == null ? "" : " in " + kind.parent().word() + " " + parent;
        return new ValidationException(Reason.NOT_FOUND, "Cannot find " + kind.word() + " with name " + name + where);
    }

    static String quote(String text) {
        return '"' + text + '"';
    }
}
