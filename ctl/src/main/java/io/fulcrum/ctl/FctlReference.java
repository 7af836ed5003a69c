package io.fulcrum.ctl;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.command.CommandTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Generates docs/fctl.md from picocli's model of the commands, so the reference cannot drift from
 * the code. A test fails when the committed file differs; regenerate with bin/fulcrum gen-docs.
 */
public final class FctlReference {
    private FctlReference() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/fctl.md");
        Files.writeString(out, markdown());
        System.out.println("wrote " + out);
    }

    public static String markdown() {
        FctlContext quiet = new FctlContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                System.in, Map.of(), Path.of("."), Path.of("."), null);
        CommandLine root = CommandTree.of(quiet);
        StringBuilder md = new StringBuilder("# fctl reference\n\n<!-- Generated from the picocli command model by "
                + "io.fulcrum.ctl.FctlReference. Do not edit by hand: run bin/fulcrum gen-docs. -->\n\n"
                + "Every command also takes the connection options shown under `fctl`: `--server`, `--token`, "
                + "`--token-file`, `--tls`, `--tls-ca`, `--timeout`, and the environment variables `FULCRUM_SERVER` "
                + "and `FULCRUM_TOKEN`. They may be written before or after the subcommand (`fctl --server A status` and "
                + "`fctl status --server A` are the same); one given twice with different values, or `--token` with "
                + "`--token-file`, is a usage error (exit 2), never silently one of them. In the shell, a line's own "
                + "options replace the shell's for that line. `completion` refuses them and `watch` refuses `--timeout` "
                + "(it runs until stopped or `--count` lines are printed).\n\n"
                + "Without them fctl uses the local cluster it finds (`.fulcrum/fctl.conf` in this directory or a parent, "
                + "written by `bin/fulcrum up`; else `~/.fulcrum/cp1/auth.conf` of the default single node). The local "
                + "cluster's token is used only with the local cluster's servers: with `--server` or `FULCRUM_SERVER` "
                + "and no token option, no token is sent.\n\n"
                + "Exit codes: 0 ok; 1 the command ran and failed (a refused change, an invalid value, permission); 2 "
                + "usage (an unknown option or type, a missing argument, a command-language line that does not parse: "
                + "nothing is sent); 3 the cluster is unavailable, did not answer in time, or cannot say whether a change applied (retrying may help: fctl retries a change with its request id, so it applies at most once); 4 what "
                + "the command names does not exist. Data goes to stdout, diagnostics to stderr; a change prints `OK` on "
                + "stdout and `version N` (the new config version) on stderr.\n\n");
        for (CommandLine command : walk(root)) {
            md.append("## ").append(command.getCommandSpec().qualifiedName(" ")).append("\n\n```\n")
                    .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
        }
        return md.toString();
    }

    private static List<CommandLine> walk(CommandLine command) {
        List<CommandLine> all = new ArrayList<>(List.of(command));
        command.getSubcommands().values().forEach(sub -> all.addAll(walk(sub)));
        return all;
    }
}
