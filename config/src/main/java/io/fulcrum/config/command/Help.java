package io.fulcrum.config.command;

import io.fulcrum.config.schema.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** {@code man}: help text generated from the {@link Grammar} table. Stateless. */
public final class Help {
    private Help() {
    }

    /**
     * The help for {@code man}, {@code man ACTION}, {@code man TYPE}, {@code man TYPE ACTION}
     * (either order), one line per list element.
     *
     * @throws CommandException for a topic that is neither an action nor a type
     */
    public static List<String> text(HelpRequest request) {
        Action action = null;
        String type = null;
        for (String topic : request.topics()) {
            Action asAction = Action.lookup(topic);
            String asType = Grammar.typeWord(topic);
            if (asAction != null && action == null) {
                action = asAction;
            } else if (asType != null && type == null) {
                type = asType;
            } else {
                throw new CommandException("man: unknown topic " + CommandParser.quote(topic)
                        + "; try: man, man ACTION, man TYPE, man TYPE ACTION");
            }
        }
        if (action == null && type == null) {
            return overview();
        }
        List<String> lines = new ArrayList<>();
        for (CommandSpec spec : Grammar.specs()) {
            if ((action == null || spec.action() == action) && (type == null || spec.typeWord().equals(type))) {
                lines.addAll(form(spec));
            }
        }
        if (lines.isEmpty()) {
            lines.add("unsupported action " + action.word() + " for " + type);
        }
        return lines;
    }

    private static List<String> overview() {
        List<String> lines = new ArrayList<>();
        lines.add("ACTION TYPE [NAME] [in|to|from TYPE NAME] [PARAM VALUE]...");
        lines.add("");
        lines.add("actions:");
        for (Action action : Action.values()) {
            lines.add(String.format("  %-20s %s", action.display(), action.meaning()));
        }
        lines.add(String.format("  %-20s %s", "man", "this help; man ACTION, man TYPE, man TYPE ACTION"));
        lines.add("");
        lines.add("types:");
        for (String type : Grammar.typeWords()) {
            String actions = Grammar.specs(type).stream().map(s -> s.action().word()).distinct()
                    .collect(Collectors.joining(", "));
            lines.add(String.format("  %-28s %s", Grammar.displayType(type), actions));
        }
        lines.add("");
        lines.add("example: add server backend1 to server-group ngx address 10.0.2.1:80 weight 10");
        return lines;
    }

    /** The synopsis, one line per parameter and an example. */
    static List<String> form(CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        lines.add(spec.synopsis());
        for (Field field : spec.params()) {
            lines.add(String.format("    %-26s %s", paramName(field), paramText(spec, field)));
        }
        if (!spec.together().isEmpty()) {
            lines.add("    (" + spec.together().stream().map(Field::param).collect(Collectors.joining(", "))
                    + " are given together)");
        }
        lines.add("    e.g. " + spec.example());
        return lines;
    }

    static String paramName(Field field) {
        return field.shortParam() == null ? field.param() : field.param() + " (" + field.shortParam() + ")";
    }

    static String paramText(CommandSpec spec, Field field) {
        String presence = spec.action() == Action.ADD
                ? (field.required() ? "required" : "default " + field.type().format(field.defaultValue()))
                : "optional";
        return presence + "; " + field.help() + "; " + field.type().describe();
    }

    /** Every action word a shell may complete. */
    public static List<String> actionWords() {
        List<String> words = new ArrayList<>(Arrays.stream(Action.values()).map(Action::word).toList());
        words.add("man");
        return words;
    }
}
