package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.Config;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes mutations and whole configs as command-language text: the inverse of the parser. A
 * rendered config is what {@code save} writes; it parses and applies back to an equal model.
 */
public final class ScriptWriter {
    private ScriptWriter() {
    }

    /**
     * The command line with the same effect as {@code mutation}, e.g. "update server s1 in
     * server-group g weight 5", as change records and logs show it: a private key is "(secret)"
     * and a certificate its subject and fingerprint, so this line does not always parse back.
     */
    public static String line(Mutation mutation) {
        return line(mutation, false);
    }

    /** @param restorable write secrets and long values in full (save), not as they are shown */
    private static String line(Mutation mutation, boolean restorable) {
        Target target = Target.of(mutation);
        StringBuilder line = new StringBuilder(head(mutation.getAction(), target));
        if (mutation.getAction() == MutationAction.MUTATION_ACTION_ADD) {
            for (Field field : Schema.fields(target.kind())) {
                if (field.isSet(target.resource())) {
                    Object value = field.get(target.resource());
                    appendParam(line, field, restorable ? field.type().format(value) : field.type().display(value));
                }
            }
        } else if (mutation.getAction() == MutationAction.MUTATION_ACTION_UPDATE) {
            List<String> paths = mutation.getUpdateMask().getPathsList();
            for (Field field : Schema.fields(target.kind())) {
                if (paths.contains(field.protoName())) {
                    Object value = field.isSet(target.resource()) ? field.get(target.resource()) : field.defaultValue();
                    appendParam(line, field, value == null ? "" : restorable ? field.type().format(value)
                            : field.type().display(value));
                }
            }
        }
        return line.toString();
    }

    private static void appendParam(StringBuilder line, Field field, String token) {
        line.append(' ').append(field.param()).append(' ').append(token);
    }

    /** "add server backend1 to server-group ngx": the action, type, name and container. */
    public static String head(MutationAction action, Target target) {
        String verb = action.name().substring("MUTATION_ACTION_".length()).toLowerCase(Locale.ROOT);
        StringBuilder head = new StringBuilder(verb).append(' ').append(target.kind().word()).append(' ').append(target.name());
        if (target.kind().isNested()) {
            String preposition = switch (action) {
                case MUTATION_ACTION_ADD -> "to";
                case MUTATION_ACTION_REMOVE -> "from";
                default -> "in";
            };
            head.append(' ').append(preposition).append(' ').append(target.kind().parent().word()).append(' ').append(target.parent());
        }
        return head.toString();
    }

    /** ADD mutations that recreate {@code config} on an empty model, containers before their contents. */
    public static List<Mutation> additions(Config config) {
        List<Mutation> mutations = new ArrayList<>();
        for (Kind kind : Kind.topLevel()) {
            for (Object item : (List<?>) config.getField(kind.listField())) {
                Message resource = (Message) item;
                Message.Builder bare = resource.toBuilder();
                kind.children().forEach(child -> bare.clearField(child.listField()));
                mutations.add(new Target(kind, null, bare.build()).toMutation(MutationAction.MUTATION_ACTION_ADD, null));
                for (Kind child : kind.children()) {
                    for (Object nested : (List<?>) resource.getField(child.listField())) {
                        mutations.add(new Target(child, kind.nameOf(resource), (Message) nested)
                                .toMutation(MutationAction.MUTATION_ACTION_ADD, null));
                    }
                }
            }
        }
        return mutations;
    }

    /**
     * The whole config as a command script, one command a line. The servers of a discovered
     * group are left out: they belong to its source, which fills them in again after a load.
     */
    public static List<String> render(Config config) {
        java.util.Set<String> discovered = new java.util.HashSet<>();
        config.getServerGroupsList().stream().filter(g -> !g.getDiscovery().isEmpty())
                .forEach(g -> discovered.add(g.getName()));
        return additions(config).stream().filter(m -> {
            Target target = Target.of(m);
            return target.kind() != Kind.SERVER || !discovered.contains(target.parent());
        }).map(m -> line(m, true)).toList();
    }
}
