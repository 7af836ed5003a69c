package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.HostPort;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.EventLoopGroup;
import io.fulcrum.proto.v1.Server;
import io.fulcrum.proto.v1.TcpLb;

/**
 * The rules of the model that are about more than one field: references that keep a resource
 * in use, listener address conflicts, duplicate server addresses, event-loop groups without loops.
 */
final class ModelRules {
    private ModelRules() {
    }

    /**
     * The first resource that refers to {@code name} of {@code kind}, described as
     * "tcp-lb lb0" (or "upstream ups0" for a server-group link), or null if none does.
     */
    static String findUser(BatchApplier model, Kind kind, String name) {
        for (Kind userKind : Kind.values()) {
            for (Field field : Schema.fields(userKind)) {
                if (field.referencedKind() == kind) {
                    String user = findUser(model, userKind, (parent, resource) ->
                            field.referencedNames(field.get(resource)).contains(name));
                    if (user != null) {
                        return user;
                    }
                }
            }
            if (userKind.nameRefersTo() == kind) {
                String user = findUser(model, userKind, (parent, resource) -> name.equals(userKind.nameOf(resource)));
                if (user != null) {
                    return user;
                }
            }
        }
        return null;
    }

    private interface Uses {
        boolean test(String parent, Message resource);
    }

    private static String findUser(BatchApplier model, Kind userKind, Uses uses) {
        String[] found = new String[1];
        model.forEach(userKind, (parent, resource) -> {
            if (found[0] == null && uses.test(parent, resource)) {
                // a link is part of its upstream: the upstream is what uses the group
                found[0] = userKind == Kind.SERVER_GROUP_LINK ? userKind.parent().word() + " " + parent
                        : userKind.word() + " " + userKind.nameOf(resource) + (parent == null ? ""
                        : " in " + userKind.parent().word() + " " + parent);
            }
        });
        return found[0];
    }

    /** Rules for a resource about to be added (already complete and field-checked). */
    static void checkAdd(BatchApplier model, String parent, Message created) {
        if (created instanceof TcpLb listener) {
            checkListenerAddress(model, listener);
        } else if (created instanceof Server server) {
            checkServerAddress(model, parent, server);
        }
    }

    private static void checkListenerAddress(BatchApplier model, TcpLb listener) {
        HostPort address = HostPort.parse(listener.getAddress(), false);
        for (Message other : model.read(Kind.TCP_LB).values()) {
            TcpLb existing = (TcpLb) other;
            HostPort taken = HostPort.parse(existing.getAddress(), false);
            boolean overlap = taken.port() == address.port() && (taken.host().equals(address.host())
                    || taken.isWildcard() || address.isWildcard());
            if (overlap) {
                throw new ValidationException(Reason.FAILED_PRECONDITION, "address " + listener.getAddress()
                        + " overlaps tcp-lb " + existing.getName() + " bound to " + existing.getAddress());
            }
        }
    }

    private static void checkServerAddress(BatchApplier model, String group, Server server) {
        Message container = model.read(Kind.SERVER_GROUP).get(group);
        for (Message child : BatchApplier.children(container, Kind.SERVER)) {
            Server existing = (Server) child;
            if (existing.getAddress().equals(server.getAddress())) {
                throw new ValidationException(Reason.FAILED_PRECONDITION, "server-group " + group
                        + " already has server " + existing.getName() + " at " + server.getAddress());
            }
        }
    }

    /** Every event-loop group that a listener or server group uses must have at least one loop. */
    static void checkEventLoopsPresent(BatchApplier model) {
        for (Kind kind : Kind.topLevel()) {
            for (Field field : Schema.fields(kind)) {
                if (field.referencedKind() != Kind.EVENT_LOOP_GROUP) {
                    continue;
                }
                for (Message resource : model.read(kind).values()) {
                    String groupName = (String) field.get(resource);
                    EventLoopGroup group = (EventLoopGroup) model.read(Kind.EVENT_LOOP_GROUP).get(groupName);
                    if (group != null && group.getEventLoopsCount() == 0) {
                        throw ValidationException.invalid("event-loop-group " + groupName + " has no event-loop but "
                                + kind.word() + " " + kind.nameOf(resource) + " uses it as " + field.param()
                                + "; add one: add event-loop NAME to event-loop-group " + groupName);
                    }
                }
            }
        }
    }
}
