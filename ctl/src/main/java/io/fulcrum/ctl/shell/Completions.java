package io.fulcrum.ctl.shell;

import io.fulcrum.config.command.Action;
import io.fulcrum.config.command.CommandSpec;
import io.fulcrum.config.command.Grammar;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What may come next on a shell line, from the grammar table: actions, types, parameters, values
 * of enum parameters and the names of existing resources. Stateless.
 */
public final class Completions {
    /** fctl commands the shell runs besides the command language. */
    public static final List<String> SHELL_COMMANDS = List.of("get", "apply", "save", "load", "status", "nodes", "forget-node", "members",
            "watch", "exit");
    private static final List<String> PREPOSITIONS = List.of("in", "to", "from");

    private Completions() {
    }

    /**
     * @param previous the complete words before the one being typed
     * @param names    existing names of a kind (top-level kinds only)
     */
    public static List<String> next(List<String> previous, Function<Kind, List<String>> names) {
        Set<String> out = new LinkedHashSet<>();
        if (previous.isEmpty()) {
            for (Action action : Action.values()) {
                out.add(action.word());
            }
            out.add("man");
            out.addAll(SHELL_COMMANDS);
            return List.copyOf(out);
        }
        Action action = Action.lookup(previous.get(0));
        if (action == null) {
            return previous.get(0).equals("man") || previous.get(0).equals("get") ? Grammar.typeWords() : List.of();
        }
        if (previous.size() == 1) {
            return Grammar.typeWords();
        }
        String type = Grammar.typeWord(previous.get(1));
        String last = previous.get(previous.size() - 1);
        if (type == null) {
            return List.of();
        }
        if (PREPOSITIONS.contains(last)) {
            return containerTypes(action, type);
        }
        if (previous.size() >= 3 && PREPOSITIONS.contains(previous.get(previous.size() - 2))) {
            Kind container = topLevel(Grammar.typeWord(last));
            return container == null ? List.of() : names.apply(container);
        }
        if (previous.size() == 2 && action.takesName()) {
            Kind kind = topLevel(type);
            return kind == null || action == Action.ADD ? List.of() : names.apply(kind);
        }
        List<Field> fields = new ArrayList<>();
        for (CommandSpec spec : Grammar.specs(type)) {
            if (spec.action() == action) {
                fields.addAll(spec.params());
            }
        }
        for (Field field : fields) {
            if (field.param().equals(last) || last.equals(field.shortParam())) {
                return values(field, names);
            }
        }
        fields.forEach(f -> out.add(f.param()));
        if (!containerTypes(action, type).isEmpty() && previous.stream().noneMatch(PREPOSITIONS::contains)) {
            out.add(action.preposition());
        }
        return List.copyOf(out);
    }

    private static List<String> containerTypes(Action action, String type) {
        return Grammar.specs(type).stream().filter(s -> s.action() == action && s.container() != null)
                .map(s -> s.container().word()).distinct().toList();
    }

    private static List<String> values(Field field, Function<Kind, List<String>> names) {
        if (field.referencedKind() != null) {
            List<String> values = new ArrayList<>(field.referencedKind().builtIns().stream().sorted().toList());
            values.addAll(names.apply(field.referencedKind()));
            return values;
        }
        String described = field.type().describe();
        if (described.startsWith("one of ")) {
            return List.of(described.substring("one of ".length()).split(", "));
        }
        return List.of();
    }

    private static Kind topLevel(String type) {
        for (Kind kind : Kind.topLevel()) {
            if (kind.word().equals(type)) {
                return kind;
            }
        }
        return null;
    }
}
