package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.ServerGroup;
import java.util.List;
import java.util.Map;

/**
 * Server-group parameters that exist only together with another ({@link Field#onlyWith()}): the
 * discovery settings with {@code discovery}, the TLS settings with {@code tls}.
 */
final class DependentFields {
    /** What to give the parameter a dependent field needs, for the error message. */
    private static final Map<String, String> ENABLING = Map.of("discovery", "discovery srv:NAME or dns:HOST:PORT",
            "tls", "tls true");

    private DependentFields() {
    }

    /**
     * A server group as stored. With the parameter a field depends on, the field holds its value
     * in effect (the default filled in); without it the field is unset: refused when
     * {@code explicit} (given in this mutation), else cleared (left from before, or a default).
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
                        + field.onlyWith() + " (give " + ENABLING.get(field.onlyWith()) + " too)");
            }
            normalized.clearField(ServerGroup.getDescriptor().findFieldByName(field.protoName()));
        }
        return normalized.build();
    }
}
