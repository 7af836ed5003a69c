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

    private static final List<String> DEPENDENT = List.of("discovery_resolver", "discovery_interval_ms",
            "discovery_timeout_ms", "discovery_hold_empty_ms");

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
     * A server group as stored: without a source its other discovery parameters are refused
     * ({@code explicit}: they were given in this mutation) or cleared (they were left from before
     * {@code discovery none}).
     */
    static Message normalize(Message resource, List<String> explicit) {
        ServerGroup group = (ServerGroup) resource;
        if (!group.getDiscovery().isEmpty()) {
            return group;
        }
        ServerGroup.Builder cleared = group.toBuilder();
        for (String path : DEPENDENT) {
            Field field = Schema.fieldByProtoName(Kind.SERVER_GROUP, path);
            if (field.isSet(group) && explicit.contains(path)) {
                throw ValidationException.invalid(field.param() + " applies only to a server group with discovery ("
                        + "give discovery srv:NAME or dns:HOST:PORT too)");
            }
            cleared.clearField(ServerGroup.getDescriptor().findFieldByName(path));
        }
        return cleared.build();
    }
}
