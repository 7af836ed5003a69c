package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.proto.v1.Change;
import io.fulcrum.proto.v1.RollbackRequest;
import io.fulcrum.proto.v1.RollbackResponse;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fctl rollback V [--dry-run]}: one new change that makes the config equal to version V. */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make the config equal to what it was at version V, as one new committed change (a new "
                + "version: the history stays forward-only). Servers of discovered server groups stay with their source.",
            "V must not be older than the retained history (see fctl history)."})
final class RollbackCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "V")
    long version;

    @Option(names = "--dry-run", description = "print what would change and change nothing")
    boolean dryRun;

    @Option(names = {"-m", "--comment"}, paramLabel = "TEXT", description = "kept in the history (default: rollback to version V)")
    String comment;

    RollbackCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        RollbackRequest.Builder request = RollbackRequest.newBuilder().setVersion(version).setDryRun(dryRun)
                .setRequestId(UUID.randomUUID().toString());
        if (comment != null) {
            request.setComment(comment);
        }
        RollbackResponse response = cluster.call(stubs -> stubs.config().rollback(request.build()));
        for (Change change : response.getChangesList()) {
            out().println(change.getCommand());
        }
        if (response.getChangesCount() == 0) {
            out().println("nothing to change: the config already equals version " + version);
        } else if (dryRun) {
            out().println("dry run: would roll back to version " + version + " (" + response.getChangesCount() + " changes)");
        } else {
            out().println("rolled back to version " + version + " as version " + response.getVersion());
        }
        out().flush();
        return 0;
    }
}
