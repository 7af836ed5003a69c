package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.connect.SharedConnection;
import io.fulcrum.ctl.shell.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code fctl [COMMAND...]}: one command-language line, a script (-f), or the interactive shell. */
@Command(name = "fctl", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Operates a Fulcrum cluster.",
            "With a command-language line (vproxy's language, see `fctl man`) it runs that command; with -f it runs "
                    + "a script as one atomic batch; with nothing it opens an interactive shell.",
            "The connection options may be given before or after a subcommand (fctl --server HOST:PORT status)."},
        subcommands = {GetCommand.class, ApplyCommand.class, SaveCommand.class, LoadCommand.class, StatusCommand.class,
            NodesCommand.class, ForgetNodeCommand.class, MembersCommand.class, WatchCommand.class, HistoryCommand.class,
            DiffCommand.class, RollbackCommand.class, DrainCommand.class, UndrainCommand.class, CompletionCommand.class},
        footer = {"", "Examples:",
            "  fctl add upstream backend-groups",
            "  fctl list-detail server in server-group ngx",
            "  fctl -f setup.txt",
            "  fctl apply -f config.yaml --dry-run",
            "  fctl --server 10.0.3.10:9001 --token-file prod.tok get server-group ngx -o yaml",
            "",
            "Exit codes: 0 ok, 1 command failed, 2 usage (also a command-language line that does not parse), "
                    + "3 cluster unavailable (retry), 4 not found."})
public final class RootCommand extends ClusterCommand {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "run a command script as one atomic batch")
    Path script;

    @Parameters(arity = "0..*", paramLabel = "WORDS", description = "a command-language line, e.g. add upstream ups0")
    List<String> words = new ArrayList<>();

    public RootCommand(FctlContext context) {
        super(context);
    }

    @Override
    protected int run(Connection cluster) throws Exception {
        if (!words.isEmpty() && words.get(0).startsWith("-")) {
            throw new ParameterException(spec.commandLine(), "unknown option " + words.get(0) + " (see fctl --help)");
        }
        if (script != null) {
            if (!words.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give either -f FILE or a command, not both");
            }
            Lines.exec(cluster, Files.readString(script), out(), err());
            return 0;
        }
        if (words.isEmpty()) {
            if (context.shared() != null) {
                throw new ParameterException(spec.commandLine(), "this is the shell already: give a command");
            }
            SharedConnection shared = new SharedConnection(cluster, connection);
            return new Shell(context, shared, CommandTree::run).run();
        }
        Lines.exec(cluster, Lines.join(words), out(), err());
        return 0;
    }
}
