package io.fulcrum.config.command;

import io.fulcrum.config.model.ConfigModel;
import io.fulcrum.config.model.ValidationException;
import io.fulcrum.proto.v1.Batch;
import io.fulcrum.proto.v1.ExecResponse;

/**
 * Runs command-language text against a model held in memory, each successful batch bumping the
 * version by one: the standalone counterpart of the control plane's Exec (used by a data plane
 * started from a config file, by tests and by benchmarks). Not thread-safe.
 */
public final class Interpreter {
    private ConfigModel model;
    private final ServerHealthView health;

    public Interpreter(ConfigModel start, ServerHealthView health) {
        this.model = start;
        this.health = health;
    }

    public Interpreter() {
        this(ConfigModel.empty(), ServerHealthView.NONE);
    }

    /**
     * Runs one command or an atomic script.
     *
     * @throws io.fulcrum.config.ConfigException if it does not parse or validate; the model is unchanged
     */
    public ExecResponse exec(String text) {
        Script script = Script.parse(text);
        Statement question = script.question();
        if (question instanceof HelpRequest help) {
            return ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_TEXT).addAllLines(Help.text(help))
                    .setVersion(model.version()).build();
        }
        if (question instanceof Command query) {
            return Queries.run(query, model, health);
        }
        Batch batch = script.toBatch();
        try {
            model = model.apply(batch, model.version() + 1).model();
        } catch (ValidationException e) {
            throw script.locate(e);
        }
        return ExecResponse.newBuilder().setKind(ExecResponse.Kind.KIND_OK).addLines("OK").setVersion(model.version()).build();
    }

    public ConfigModel model() {
        return model;
    }
}
