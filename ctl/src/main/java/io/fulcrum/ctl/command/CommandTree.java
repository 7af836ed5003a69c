package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.ExitCodes;
import io.fulcrum.ctl.cli.FctlContext;
import picocli.CommandLine;

/**
 * fctl's picocli command tree over one {@link FctlContext}, with the one mapping of failures to
 * exit codes. Used by {@code Fctl.main}, by the shell for each of its fctl lines, and to generate
 * the reference.
 */
public final class CommandTree {
    private CommandTree() {
    }

    /** A new tree; commands are made with {@code context} as their constructor's argument. */
    public static CommandLine of(FctlContext context) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    var constructor = type.getDeclaredConstructor(FctlContext.class);
                    constructor.setAccessible(true);
                    return constructor.newInstance(context);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine cli = new CommandLine(RootCommand.class, factory);
        cli.setOut(context.out());
        cli.setErr(context.err());
        cli.setUnmatchedOptionsArePositionalParams(true);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((usage, args) -> {
            CommandLine command = usage.getCommandLine();
            context.err().println("fctl: " + usage.getMessage());
            context.err().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            context.err().flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof CommandLine.ParameterException usage) {
                return cli.getParameterExceptionHandler().handleParseException(usage,
                        parsed.originalArgs().toArray(String[]::new));
            }
            context.err().println("fctl: " + ExitCodes.message(failure));
            context.err().flush();
            return ExitCodes.of(failure);
        });
        return cli;
    }

    /** Runs {@code args} in a new tree over {@code context}; returns the exit code. */
    public static int run(FctlContext context, String... args) {
        return of(context).execute(args);
    }
}
