package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.List;

/**
 * The rules of discovered server groups (those with a {@code discovery} source): their servers
 * belong to the source, and the other discovery parameters only exist together with a source.
 */
public final class DiscoveryRules {
    /**
     * The principal of the batches the control-plane leader's resolver commits: the only one that
     * may change a discovered group's servers. Parentheses mark it as built in: no token's name
     * can take it (the control plane refuses such a caller).
     */
    public static final String PRINCIPAL = "(discovery)";

    private DiscoveryRules() {
    }

    /** Refuses a hand edit of a server in {@code group} when discovery owns its servers. */
    static void checkServerEdit(Message group, boolean byDiscovery) {
        String source = ((ServerGroup) group).getDiscovery();
        if (!byDiscovery && !source.isEmpty()) {
            String name = ((ServerGroup) group).getName();
            throw new ValidationException(Reason.FAILED_PRECONDITION, "server-group " + name
                    + " is owned by its discovery source " + source + ": its servers change only through discovery"
                    + " (to edit them by hand: update server-group " + name + " discovery none)");
        }
    }

    /**
     * A server group as stored. With a source, its other discovery parameters hold their values
     * in effect (defaults filled in); without one they are unset: refused when {@code explicit}
     * (given in this mutation), else cleared (left from before {@code discovery none}, or defaults).
     *
     * @param explicit proto names of the fields the mutation gives
     */
    static Message normalize(Message resource, List<String> explicit) {
        ServerGroup group = (ServerGroup) resource;
        ServerGroup.Builder normalized = group.toBuilder();
        for (Field field : Schema.fields(Kind.SERVER_GROUP)) {
            if (field.onlyWith() == null) {
                continue;
            }
            if (field.appliesTo(group)) {
                if (!field.isSet(group)) {
                    field.set(normalized, field.defaultValue());
                }
                continue;
            }
            if (field.isSet(group) && explicit.contains(field.protoName())) {
                throw ValidationException.invalid(field.param() + " applies only to a server group with "
                        + field.onlyWith() + " (give " + field.onlyWith() + " srv:NAME or dns:HOST:PORT too)");
            }
            normalized.clearField(ServerGroup.getDescriptor().findFieldByName(field.protoName()));
        }
        return normalized.build();
    }
}
