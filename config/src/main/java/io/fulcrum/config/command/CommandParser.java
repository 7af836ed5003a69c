package io.fulcrum.config.command;

import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses one line of the command language against the {@link Grammar} table:
 * {@code ACTION TYPE [NAME] [in|to|from TYPE NAME] [PARAM VALUE]...}. Parameters and the container
 * clause may come in any order after the name. Stateless and thread-safe.
 *
 * <p>Every failure is a {@link CommandException} whose message names the command, the parameter
 * and what is allowed; nothing else escapes.
 */
public final class CommandParser {
    private static final List<String> PREPOSITIONS = List.of("in", "to", "from");

    private CommandParser() {
    }

    public static Statement parse(String line) {
        List<String> tokens = Tokenizer.tokenize(line);
        if (tokens.isEmpty()) {
            throw new CommandException("empty command; try: man");
        }
        String first = tokens.get(0);
        if (first.equals("man") || first.equals("help")) {
            return new HelpRequest(line, List.copyOf(tokens.subList(1, tokens.size())));
        }
        Action action = Action.lookup(first);
        if (action == null) {
            throw new CommandException("unknown action " + quote(first) + "; allowed: " + allowedActions());
        }
        if (tokens.size() < 2) {
            throw new CommandException(action.word() + ": missing resource type; allowed: " + allowedTypes());
        }
        String typeWord = Grammar.typeWord(tokens.get(1));
        if (typeWord == null) {
            throw new CommandException(action.word() + ": unknown resource type " + quote(tokens.get(1))
                    + "; allowed: " + allowedTypes());
        }
        return new LineParser(line, action, typeWord, tokens).parse();
    }

    /** The state of parsing one line after its action and type. */
    private static final class LineParser {
        private final String line;
        private final Action action;
        private final String typeWord;
        private final List<String> tokens;
        private int next = 2;
        private String name;
        private String preposition;
        private Kind container;
        private String parent;
        private final List<String[]> params = new ArrayList<>();

        LineParser(String line, Action action, String typeWord, List<String> tokens) {
            this.line = line;
            this.action = action;
            this.typeWord = typeWord;
            this.tokens = tokens;
        }

        Command parse() {
            if (action.takesName()) {
                if (next >= tokens.size() || PREPOSITIONS.contains(tokens.get(next))) {
                    throw error("missing name; usage: " + usage());
                }
                name = tokens.get(next++);
            }
            while (next < tokens.size()) {
                String token = tokens.get(next++);
                if (PREPOSITIONS.contains(token)) {
                    readClause(token);
                } else {
                    if (next >= tokens.size()) {
                        throw error("missing value for parameter " + (token.length() > 40 || token.contains("\n") ? quote(token) : token));
                    }
                    params.add(new String[] {token, tokens.get(next++)});
                }
            }
            CommandSpec spec = findSpec();
            return new Command(line, spec, name, parent, readParams(spec));
        }

        private void readClause(String word) {
            if (preposition != null) {
                throw error("only one in/to/from clause is allowed");
            }
            if (next + 1 >= tokens.size()) {
                throw error("\"" + word + "\" must be followed by a type and a name, e.g. " + word + " server-group ngx");
            }
            String clauseType = Grammar.typeWord(tokens.get(next));
            Kind kind = clauseType == null ? null : Arrays.stream(Kind.values())
                    .filter(k -> k.word().equals(clauseType) && !k.isNested() && !k.children().isEmpty())
                    .findFirst().orElse(null);
            if (kind == null) {
                throw error("unknown container type " + quote(tokens.get(next))
                        + " after \"" + word + "\"; allowed: event-loop-group, server-group, upstream, security-group");
            }
            preposition = word;
            container = kind;
            parent = tokens.get(next + 1);
            next += 2;
        }

        private CommandSpec findSpec() {
            List<CommandSpec> forms = Grammar.specs(typeWord).stream().filter(s -> s.action() == action).toList();
            if (forms.isEmpty()) {
                throw new CommandException("unsupported action " + action.word() + " for " + typeWord);
            }
            CommandSpec spec = forms.stream().filter(s -> s.container() == container).findFirst().orElse(null);
            if (spec == null) {
                String allowed = forms.stream().map(CommandSpec::synopsis).collect(Collectors.joining(" | "));
                String problem = container == null ? "missing \"" + action.preposition() + " TYPE NAME\" clause"
                        : "does not take \"" + preposition + " " + container.word() + "\"";
                throw error(problem + "; usage: " + allowed);
            }
            if (preposition != null && !preposition.equals(action.preposition())) {
                throw error("use \"" + action.preposition() + " " + container.word() + " " + parent + "\" with "
                        + action.word() + ", not \"" + preposition + "\"");
            }
            return spec;
        }

        private Map<Field, String> readParams(CommandSpec spec) {
            Map<Field, String> values = new LinkedHashMap<>();
            for (String[] param : params) {
                Field field = spec.param(param[0]);
                if (field == null) {
                    String allowed = spec.params().isEmpty() ? "none" : spec.params().stream()
                            .map(f -> f.shortParam() == null ? f.param() : f.param() + " (" + f.shortParam() + ")")
                            .collect(Collectors.joining(", "));
                    throw error("unknown parameter " + quote(param[0]) + "; allowed: " + allowed);
                }
                if (values.containsKey(field)) {
                    throw error("parameter " + field.param() + " is given twice");
                }
                values.put(field, param[1]);
            }
            for (Field required : spec.requiredParams()) {
                if (!values.containsKey(required)) {
                    throw error("missing parameter " + required.param() + " (" + required.help() + ": "
                            + required.type().describe() + ")");
                }
            }
            checkTogether(spec, values);
            if (spec.action() == Action.UPDATE && values.isEmpty()) {
                throw error("nothing to update: give at least one of "
                        + spec.params().stream().map(Field::param).collect(Collectors.joining(", ")));
            }
            return values;
        }

        private void checkTogether(CommandSpec spec, Map<Field, String> values) {
            List<Field> given = spec.together().stream().filter(values::containsKey).toList();
            if (!given.isEmpty() && given.size() < spec.together().size()) {
                List<String> missing = spec.together().stream().filter(f -> !values.containsKey(f)).map(Field::param).toList();
                throw error(String.join(", ", spec.together().stream().map(Field::param).toList())
                        + " are updated together; missing: " + String.join(", ", missing));
            }
        }

        private String usage() {
            return Grammar.specs(typeWord).stream().filter(s -> s.action() == action).map(CommandSpec::synopsis)
                    .collect(Collectors.joining(" | "));
        }

        private CommandException error(String message) {
            StringBuilder head = new StringBuilder(action.word()).append(' ').append(typeWord);
            if (name != null) {
                // a name that is not one yet (PEM text, a line break) is quoted: messages stay one line
                head.append(' ').append(Names.isValid(name) ? name : quote(name));
            }
            return new CommandException(head + ": " + message);
        }
    }

    private static String allowedActions() {
        return Arrays.stream(Action.values()).map(Action::display).collect(Collectors.joining(", ")) + ", man";
    }

    private static String allowedTypes() {
        return Grammar.typeWords().stream().map(Grammar::displayType).collect(Collectors.joining(", "));
    }

    /** {@code text} as an error shows it: one line, at most 60 characters, PEM text (a key?) never. */
    static String quote(String text) {
        if (io.fulcrum.config.tls.Pem.isPem(text)) {
            return "(PEM text)";
        }
        text = text.replace("\n", "\\n");
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return '"' + shown + '"';
    }
}
