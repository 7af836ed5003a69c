package io.fulcrum.ctl;

import io.fulcrum.ctl.command.RootCommand;
import picocli.CommandLine;

/**
 * fctl's entry point. {@link #run} returns the exit code (tests call it in-process);
 * {@link #main} exits with it.
 */
public final class Fctl {
    private final FctlContext context;

    public Fctl(FctlContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(new Fctl(FctlContext.system()).run(args));
    }

    /** Runs fctl with {@code args}: 0 ok, 1 failed, 2 usage, 3 cluster unavailable, 4 not found. */
    public int run(String... args) {
        return commandLine().execute(args);
    }

    private static String[] args(CommandLine.ParseResult parsed) {
        return parsed.originalArgs().toArray(String[]::new);
    }

    /** The command tree (also used to generate the reference and the completion script). */
    public CommandLine commandLine() {
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
        cli.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof CommandLine.ParameterException usage) {
                return cli.getParameterExceptionHandler().handleParseException(usage, args(parsed));
            }
            context.err().println("fctl: " + ExitCodes.message(failure));
            context.err().flush();
            return ExitCodes.of(failure);
        });
        return cli;
    }
}
