package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fctl load FILE}: apply a command script (what save writes) as one atomic batch. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Apply a command script as one atomic batch.")
final class LoadCommand extends ClusterCommand {
    @Parameters(paramLabel = "FILE")
    Path file;

    LoadCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws Exception {
        Lines.exec(cluster, Files.readString(file), out(), err());
        return 0;
    }
}
