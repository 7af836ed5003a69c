package io.fulcrum.config.command;

import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import java.util.List;

/**
 * One row of the grammar table: an action on a type, with or without a container clause, and the
 * parameters it takes.
 *
 * @param kind       the resource kind the command is about (a "server-group ... to upstream" is a
 *                   {@link Kind#SERVER_GROUP_LINK})
 * @param container  the kind named in the in/to/from clause, or null when there is none
 * @param params     accepted parameters, in canonical order
 * @param together   parameters that must be given all together or not at all (may be empty)
 * @param example    a complete example line
 */
public record CommandSpec(Action action, Kind kind, Kind container, List<Field> params, List<Field> together,
        String example) {

    /** The command-language type word ("server-group"). */
    public String typeWord() {
        return kind.word();
    }

    /** Parameters that must be given (required fields on add; none otherwise). */
    public List<Field> requiredParams() {
        return action == Action.ADD ? params.stream().filter(Field::required).toList() : List.of();
    }

    /** The accepted parameter spelled {@code word} (long or short), or null. */
    public Field param(String word) {
        for (Field field : params) {
            if (field.param().equals(word) || word.equals(field.shortParam())) {
                return field;
            }
        }
        return null;
    }

    /** "add server NAME to server-group SERVER-GROUP address HOST:PORT [weight W]". */
    public String synopsis() {
        StringBuilder out = new StringBuilder(action.word()).append(' ').append(typeWord());
        if (action.takesName()) {
            out.append(" NAME");
        }
        if (container != null) {
            out.append(' ').append(action.preposition()).append(' ').append(container.word()).append(' ')
                    .append(container.word().toUpperCase(java.util.Locale.ROOT));
        }
        for (Field field : params) {
            String param = field.param() + " " + placeholder(field);
            boolean required = action == Action.ADD && field.required();
            out.append(' ').append(required ? param : "[" + param + "]");
        }
        return out.toString();
    }

    private static String placeholder(Field field) {
        return field.param().replace("-", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
