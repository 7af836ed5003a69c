package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.proto.v1.ServerGroup;

/**
 * The rules of discovered server groups (those with a {@code discovery} source): their servers
 * belong to the source; the other discovery parameters exist only with a source
 * ({@link DependentFields}).
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
}
