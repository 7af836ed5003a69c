package io.fulcrum.ctl.command;

import io.fulcrum.config.schema.Kind;
import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.output.Format;
import io.fulcrum.ctl.output.Table;
import io.fulcrum.proto.v1.HistoryEntry;
import io.fulcrum.proto.v1.HistoryRequest;
import io.fulcrum.proto.v1.HistoryResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code fctl history [--limit N] [TYPE [NAME]]}: the retained committed changes, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the committed config changes the cluster retains, newest first: version, when, who, "
                + "request id, comment and the command.",
            "With TYPE (and NAME) only the changes that touched it; a nested resource also matches by its container's name."})
final class HistoryCommand extends ClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--limit", defaultValue = "20", description = "at most this many changes; 0: all retained (default: 20)")
    int limit;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or yaml (default: table)")
    Format output;

    HistoryCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) {
        HistoryRequest.Builder request = HistoryRequest.newBuilder().setLimit(Math.max(limit, 0));
        if (type != null) {
            request.setKind(kind().protoKind());
        }
        if (name != null) {
            request.setName(name);
        }
        HistoryResponse history = cluster.call(stubs -> stubs.config().history(request.build()));
        switch (output) {
            case JSON -> out().println(Format.json(history));
            case YAML -> out().print(Format.yaml(history));
            case TABLE -> {
                Table table = new Table("VERSION", "WHEN", "WHO", "REQUEST-ID", "COMMENT", "COMMAND");
                for (HistoryEntry entry : history.getEntriesList()) {
                    table.row(entry.getVersion(), Instant.ofEpochMilli(entry.getCommittedUnixMs()).truncatedTo(ChronoUnit.SECONDS),
                            entry.getPrincipal(), entry.getRequestId(), entry.getComment(), command(entry));
                }
                table.print(out());
                err().println("config version " + history.getCurrentVersion() + "; history retained from version "
                        + history.getOldestVersion());
            }
        }
        out().flush();
        err().flush();
        return 0;
    }

    private Kind kind() {
        try {
            List<Kind> kinds = GetCommand.kinds(type);
            if (kinds.size() != 1) {
                throw new IllegalArgumentException("give one type, not " + type);
            }
            return kinds.get(0);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The command text's first line (or the first change's command), with how many more follow. */
    static String command(HistoryEntry entry) {
        List<String> lines = entry.getCommandText().isBlank()
                ? entry.getChangesList().stream().map(c -> c.getCommand()).toList()
                : entry.getCommandText().strip().lines().toList();
        if (lines.isEmpty()) {
            return "";
        }
        return lines.size() == 1 ? lines.get(0) : lines.get(0) + " (+" + (lines.size() - 1) + " more)";
    }
}
