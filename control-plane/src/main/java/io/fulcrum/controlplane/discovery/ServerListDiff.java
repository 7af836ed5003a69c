package io.fulcrum.controlplane.discovery;

import com.google.protobuf.FieldMask;
import io.fulcrum.config.model.Target;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.Mutation;
import io.fulcrum.proto.v1.MutationAction;
import io.fulcrum.proto.v1.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutations that turn a group's servers into the discovered ones, matched by name: removals
 * first (so an address they free can be taken), then weight and priority updates, then additions.
 * A server that stays with the same address is updated in place, so it keeps its health. Stateless.
 */
final class ServerListDiff {
    private ServerListDiff() {
    }

    /** Empty when the group already holds exactly {@code desired}. */
    static List<Mutation> of(String group, List<Server> current, List<DiscoveredServer> desired) {
        Map<String, DiscoveredServer> wanted = new LinkedHashMap<>();
        desired.forEach(s -> wanted.put(s.name(), s));
        List<Mutation> removals = new ArrayList<>();
        List<Mutation> updates = new ArrayList<>();
        List<Mutation> additions = new ArrayList<>();
        Map<String, Server> have = new LinkedHashMap<>();
        for (Server server : current) {
            DiscoveredServer want = wanted.get(server.getName());
            if (want == null || !want.address().equals(server.getAddress())) {
                removals.add(mutation(group, server, MutationAction.MUTATION_ACTION_REMOVE, null));
                continue;
            }
            have.put(server.getName(), server);
            FieldMask.Builder mask = FieldMask.newBuilder();
            if (server.getWeight() != want.weight()) {
                mask.addPaths("weight");
            }
            if (server.getPriority() != want.priority()) {
                mask.addPaths("priority");
            }
            if (mask.getPathsCount() > 0) {
                updates.add(mutation(group, toServer(want), MutationAction.MUTATION_ACTION_UPDATE, mask.build()));
            }
        }
        for (DiscoveredServer want : desired) {
            if (!have.containsKey(want.name())) {
                additions.add(mutation(group, toServer(want), MutationAction.MUTATION_ACTION_ADD, null));
            }
        }
        List<Mutation> all = new ArrayList<>(removals);
        all.addAll(updates);
        all.addAll(additions);
        return all;
    }

    private static Server toServer(DiscoveredServer server) {
        return Server.newBuilder().setName(server.name()).setAddress(server.address()).setWeight(server.weight())
                .setPriority(server.priority()).build();
    }

    private static Mutation mutation(String group, Server server, MutationAction action, FieldMask mask) {
        return new Target(Kind.SERVER, group, server).toMutation(action, mask);
    }
}
