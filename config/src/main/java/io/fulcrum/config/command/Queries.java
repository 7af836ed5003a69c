package io.fulcrum.config.command;

import com.google.protobuf.Message;
import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.proto.v1.ExecResponse;
import java.util.List;

/** Answers {@code list} and {@code list-detail} from a model. Stateless. */
public final class Queries {
    private Queries() {
    }

    /**
     * @throws io.fulcrum.config.model.ValidationException NOT_FOUND if the container does not exist
     */
    public static ExecResponse run(Command query, ConfigModel model, ServerHealthView health) {
        return run(query, model, health, SourceStateView.NONE);
    }

    /**
     * As {@link #run(Command, ConfigModel, ServerHealthView)}, with the state of discovered groups' sources.
     *
     * @throws io.fulcrum.config.model.ValidationException NOT_FOUND if the container does not exist
     */
    public static ExecResponse run(Command query, ConfigModel model, ServerHealthView health, SourceStateView sources) {
        if (!query.isQuery()) {
            throw new CommandException(query.head() + ": is a change, not a query");
        }
        Kind kind = query.spec().kind();
        List<Message> resources = kind.isNested() ? model.list(kind, query.parent()) : model.list(kind);
        boolean detail = query.spec().action() == Action.LIST_DETAIL;
        ExecResponse.Builder reply = ExecResponse.newBuilder().setVersion(model.version())
                .setKind(detail ? ExecResponse.Kind.KIND_DETAIL : ExecResponse.Kind.KIND_LIST);
        for (Message resource : resources) {
            reply.addLines(detail ? DetailLines.of(kind, query.parent(), resource, model, health, sources) : kind.nameOf(resource));
        }
        return reply.build();
    }
}
