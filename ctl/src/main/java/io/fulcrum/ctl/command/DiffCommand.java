package io.fulcrum.ctl.command;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.config.manifest.Manifest;
import io.fulcrum.proto.v1.DiffRequest;
import io.fulcrum.proto.v1.DiffResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fctl diff V1 [V2]}: what changed between two versions, as commands and as a manifest diff. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what changed between config version V1 and V2 (default: the current version): the "
                + "commands that turn V1 into V2 (one batch), then the unified diff of their YAML manifests.",
            "Any version from the oldest retained one on (see fctl history) can be compared."})
final class DiffCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "V1")
    long from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "V2")
    long to;

    @Option(names = "--commands", description = "only the commands")
    boolean commandsOnly;

    @Option(names = "--manifest", description = "only the manifest diff")
    boolean manifestOnly;

    DiffCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        DiffResponse diff = cluster.call(stubs -> stubs.config().diff(DiffRequest.newBuilder().setFromVersion(from)
                .setToVersion(to).build()));
        String range = "version " + diff.getFromVersion() + " -> " + diff.getToVersion();
        if (!manifestOnly) {
            out().println("# commands, " + range + (diff.getCommandsCount() == 0 ? ": none" : ""));
            diff.getCommandsList().forEach(out()::println);
        }
        if (!commandsOnly) {
            out().println("# manifest diff, " + range);
            manifestDiff(diff).forEach(out()::println);
        }
        out().flush();
        return 0;
    }

    static List<String> manifestDiff(DiffResponse diff) {
        List<String> before = Manifest.write(diff.getFromConfig()).lines().toList();
        List<String> after = Manifest.write(diff.getToConfig()).lines().toList();
        return UnifiedDiffUtils.generateUnifiedDiff("version-" + diff.getFromVersion() + ".yaml",
                "version-" + diff.getToVersion() + ".yaml", before, DiffUtils.diff(before, after), 3);
    }
}
