package io.fulcrum.ctl.command;

import io.fulcrum.config.model.ScriptWriter;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.GetRequest;
import io.fulcrum.proto.v1.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fctl save FILE}: the whole config as a command script that {@code fctl load} applies. */
@Command(name = "save", mixinStandardHelpOptions = true, description = "Write the config as a command script.")
final class SaveCommand extends ClusterCommand {
    @Parameters(paramLabel = "FILE", description = "where to write it (- for stdout)")
    String file;

    SaveCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws Exception {
        GetResponse config = cluster.call(stubs -> stubs.config().get(GetRequest.getDefaultInstance()));
        List<String> lines = new ArrayList<>();
        lines.add("# Fulcrum config of cluster " + config.getConfig().getClusterId() + " at version " + config.getVersion());
        lines.add("# apply with: fctl load FILE (one atomic batch)");
        lines.addAll(ScriptWriter.render(config.getConfig()));
        String text = String.join("\n", lines) + "\n";
        if (file.equals("-")) {
            out().print(text);
            out().flush();
        } else {
            Files.writeString(Path.of(file), text);
            err().println("saved " + (lines.size() - 2) + " commands (version " + config.getVersion() + ") to " + file);
        }
        return 0;
    }
}
