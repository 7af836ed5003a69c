package io.fulcrum.config.model;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What it takes to turn the live config into a desired one (declarative apply): one batch of
 * mutations and, per top-level resource, whether it is created, configured, unchanged or deleted.
 *
 * <p>A desired top-level resource carries its children (servers, rules, event loops, links) and
 * they are declarative: children it does not list are removed. Top-level resources absent from
 * the desired config are left alone unless {@code prune} is set. A changed field that cannot be
 * updated in place is applied by removing and re-adding the resource, which the model refuses if
 * something uses it. Stateless.
 */
public final class ConfigDiff {
    /** What happens to one top-level resource. */
    public enum Result { CREATED, CONFIGURED, UNCHANGED, DELETED }

    public record Outcome(Kind kind, String name, Result result) {
    }

    /** The batch (empty when nothing changes) and the outcome of each resource, in dependency order. */
    public record Plan(List<Mutation> mutations, List<Outcome> outcomes) {
        public boolean changesNothing() {
            return mutations.isEmpty();
        }
    }

    private final List<Mutation> additions = new ArrayList<>();
    private final List<Mutation> removals = new ArrayList<>();
    /** Removals of what nothing can refer to: made first, so what replaces them may take their address. */
    private final List<Mutation> earlyRemovals = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();

    private ConfigDiff() {
    }

    /**
     * @param desired resources as declared: fields left unset take their defaults
     * @throws ValidationException if a declared resource lacks a required field
     */
    public static Plan plan(Config live, Config desired, boolean prune) {
        ConfigDiff diff = new ConfigDiff();
        for (Kind kind : Kind.topLevel()) {
            Map<String, Message> liveByName = byName(kind, listOf(live, kind));
            Map<String, Message> wanted = byName(kind, listOf(desired, kind));
            for (Message resource : wanted.values()) {
                diff.reconcile(kind, liveByName.get(kind.nameOf(resource)), complete(kind, resource));
            }
            if (prune) {
                for (Message existing : liveByName.values()) {
                    if (!wanted.containsKey(kind.nameOf(existing))) {
                        diff.remove(kind, null, existing);
                        diff.outcomes.add(new Outcome(kind, kind.nameOf(existing), Result.DELETED));
                    }
                }
            }
        }
        List<Mutation> mutations = new ArrayList<>(diff.earlyRemovals);
        mutations.addAll(diff.additions);
        mutations.addAll(diff.removals);
        return new Plan(List.copyOf(mutations), List.copyOf(diff.outcomes));
    }

    private void reconcile(Kind kind, Message live, Message wanted) {
        String name = kind.nameOf(wanted);
        if (live == null) {
            additions.add(mutation(MutationAction.MUTATION_ACTION_ADD, kind, null, bare(kind, wanted), null));
            for (Kind child : declarativeChildren(kind, wanted)) {
                for (Message c : children(wanted, child)) {
                    additions.add(mutation(MutationAction.MUTATION_ACTION_ADD, child, name, c, null));
                }
            }
            outcomes.add(new Outcome(kind, name, Result.CREATED));
            return;
        }
        int before = additions.size() + removals.size() + earlyRemovals.size();
        if (!sameFixedFields(kind, live, wanted)) {
            // not updatable in place: replace it, children included
            additions.add(mutation(MutationAction.MUTATION_ACTION_REMOVE, kind, null, live, null));
            reconcile(kind, null, wanted);
            outcomes.set(outcomes.size() - 1, new Outcome(kind, name, Result.CONFIGURED));
            return;
        }
        update(kind, null, live, wanted);
        for (Kind child : declarativeChildren(kind, wanted)) {
            reconcileChildren(child, name, children(live, child), children(wanted, child));
        }
        boolean changed = additions.size() + removals.size() + earlyRemovals.size() > before;
        outcomes.add(new Outcome(kind, name, changed ? Result.CONFIGURED : Result.UNCHANGED));
    }

    private void reconcileChildren(Kind kind, String parent, List<Message> live, List<Message> wanted) {
        Map<String, Message> liveByName = byName(kind, live);
        Map<String, Message> wantedByName = byName(kind, wanted);
        for (Message want : wantedByName.values()) {
            Message complete = complete(kind, want);
            Message have = liveByName.get(kind.nameOf(want));
            if (have == null) {
                additions.add(mutation(MutationAction.MUTATION_ACTION_ADD, kind, parent, complete, null));
            } else if (!sameFixedFields(kind, have, complete)) {
                additions.add(mutation(MutationAction.MUTATION_ACTION_REMOVE, kind, parent, have, null));
                additions.add(mutation(MutationAction.MUTATION_ACTION_ADD, kind, parent, complete, null));
            } else {
                update(kind, parent, have, complete);
            }
        }
        for (Message have : liveByName.values()) {
            if (!wantedByName.containsKey(kind.nameOf(have))) {
                remove(kind, parent, have);
            }
        }
    }

    /**
     * Removes a resource nothing can refer to (a listener, a VIP, a child) before the additions,
     * so a new listener or server may take its address; anything else after them, dependents first.
     */
    private void remove(Kind kind, String parent, Message resource) {
        Mutation removal = mutation(MutationAction.MUTATION_ACTION_REMOVE, kind, parent, resource, null);
        if (kind.isNested() || kind == Kind.TCP_LB || kind == Kind.VIP) {
            earlyRemovals.add(removal);
        } else {
            removals.add(0, removal);
        }
    }

    /**
     * The child kinds the desired resource declares: all of them, except the servers of a
     * discovered group, which belong to its source (the ones a manifest lists are ignored, so
     * {@code fctl get -o yaml} output applies back unchanged).
     */
    private static List<Kind> declarativeChildren(Kind kind, Message wanted) {
        if (wanted instanceof ServerGroup group && !group.getDiscovery().isEmpty()) {
            return List.of();
        }
        return kind.children();
    }

    private void update(Kind kind, String parent, Message live, Message wanted) {
        FieldMask.Builder mask = FieldMask.newBuilder();
        for (Field field : Schema.updatableFields(kind)) {
            if (!field.get(live).equals(field.get(wanted))) {
                mask.addPaths(field.protoName());
            }
        }
        if (mask.getPathsCount() > 0) {
            additions.add(mutation(MutationAction.MUTATION_ACTION_UPDATE, kind, parent, wanted, mask.build()));
        }
    }

    private static boolean sameFixedFields(Kind kind, Message live, Message wanted) {
        for (Field field : Schema.fields(kind)) {
            if (!field.updatable() && !field.get(live).equals(field.get(wanted))) {
                return false;
            }
        }
        return true;
    }

    /** The resource with every unset field at its default; its children completed too. */
    static Message complete(Kind kind, Message given) {
        Message.Builder complete = given.toBuilder();
        for (Field field : Schema.fields(kind)) {
            if (!field.isSet(given)) {
                if (field.required()) {
                    throw new ValidationException(Reason.INVALID_ARGUMENT, kind.word() + " " + kind.nameOf(given)
                            + ": missing " + field.param() + " (" + field.help() + ": " + field.type().describe() + ")");
                }
                field.set(complete, field.defaultValue());
            }
        }
        for (Kind child : kind.children()) {
            complete.clearField(child.listField());
            for (Message c : children(given, child)) {
                complete.addRepeatedField(child.listField(), complete(child, c));
            }
        }
        if (kind == Kind.SERVER_GROUP) {
            List<String> declared = Schema.fields(kind).stream().filter(f -> f.isSet(given)).map(Field::protoName).toList();
            return DependentFields.normalize(complete.build(), declared);
        }
        return complete.build();
    }

    private static Message bare(Kind kind, Message resource) {
        Message.Builder bare = resource.toBuilder();
        kind.children().forEach(child -> bare.clearField(child.listField()));
        return bare.build();
    }

    private static Mutation mutation(MutationAction action, Kind kind, String parent, Message resource, FieldMask mask) {
        return new Target(kind, parent, resource).toMutation(action, mask);
    }

    @SuppressWarnings("unchecked")
    private static List<Message> listOf(Config config, Kind kind) {
        return (List<Message>) config.getField(kind.listField());
    }

    private static List<Message> children(Message container, Kind kind) {
        return BatchApplier.children(container, kind);
    }

    private static Map<String, Message> byName(Kind kind, List<Message> resources) {
        Map<String, Message> byName = new LinkedHashMap<>();
        for (Message resource : resources) {
            if (byName.put(kind.nameOf(resource), resource) != null) {
                throw new ValidationException(Reason.INVALID_ARGUMENT, kind.word() + " " + kind.nameOf(resource)
                        + " is declared twice");
            }
        }
        return byName;
    }
}
