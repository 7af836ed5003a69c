package io.fulcrum.config.command;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.InvalidValueException;
import io.fulcrum.proto.v1.Mutation;
import java.util.Map;

/**
 * A parsed resource command: its grammar form, the resource name, the container name and the
 * parameter tokens. Parsing checks the shape (action, type, clause, which parameters, required
 * ones present); {@link #toMutation()} converts the values, so a well-formed command with a value
 * Fulcrum does not accept ({@code protocol h2}) parses but does not convert.
 *
 * @param name   null for list and list-detail
 * @param parent the container's name, or null when the form has no container
 * @param params parameter tokens in the order given
 */
public record Command(String text, CommandSpec spec, String name, String parent, Map<Field, String> params)
        implements Statement {

    public boolean isQuery() {
        return spec.action().isQuery();
    }

    /** "add server backend1 to server-group ngx": how errors name this command. */
    public String head() {
        StringBuilder head = new StringBuilder(spec.action().word()).append(' ').append(spec.typeWord());
        if (name != null) {
            head.append(' ').append(name);
        }
        if (parent != null) {
            head.append(' ').append(spec.action().preposition()).append(' ').append(spec.container().word())
                    .append(' ').append(parent);
        }
        return head.toString();
    }

    /**
     * The typed mutation this command stands for.
     *
     * @throws CommandException if a value is not valid for its parameter, or this is a query
     */
    public Mutation toMutation() {
        if (isQuery()) {
            throw new CommandException(head() + ": is a query, not a change");
        }
        Message.Builder resource = spec.kind().newBuilder();
        spec.kind().setName(resource, name);
        FieldMask.Builder mask = FieldMask.newBuilder();
        for (Map.Entry<Field, String> param : params.entrySet()) {
            Field field = param.getKey();
            try {
                field.set(resource, field.type().parse(param.getValue()));
            } catch (InvalidValueException e) {
                throw new CommandException(head() + ": invalid value for " + field.param() + ": " + e.getMessage());
            }
            mask.addPaths(field.protoName());
        }
        return new Target(spec.kind(), parent, resource.build())
                .toMutation(spec.action().mutationAction(), spec.action() == Action.UPDATE ? mask.build() : null);
    }
}
