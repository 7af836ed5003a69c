package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code fctl undrain server NAME in server-group G}: the server takes new connections again. */
@Command(name = "undrain", mixinStandardHelpOptions = true,
        description = "Let a drained server take new connections again, with its weight (update server NAME in "
                + "server-group G drain false).")
final class UndrainCommand extends ClusterCommand {
    @Parameters(arity = "5", paramLabel = "WORDS", description = "server NAME in server-group GROUP")
    List<String> words;

    UndrainCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        ServerRef ref;
        try {
            ref = ServerRef.parse(words);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Lines.exec(cluster, ref.update(false), out(), err());
        return 0;
    }
}
