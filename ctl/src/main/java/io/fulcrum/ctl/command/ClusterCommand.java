package io.fulcrum.ctl.command;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.connect.ConnectionOptions;
import io.fulcrum.ctl.connect.SharedConnection;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster: opens the connection, runs, closes it. The connection
 * options count wherever they are written: before the subcommand ({@code fctl --server A status}),
 * after it, or both when they agree; given twice with different values they are a usage error.
 * In the shell a line's own connection options replace the shell's for that line.
 */
abstract class ClusterCommand implements Callable<Integer> {
    protected final FctlContext context;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    /** The connection options of this command line, set when the command runs. */
    protected ConnectionOptions given;

    protected ClusterCommand(FctlContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() throws Exception {
        given = given();
        SharedConnection shared = context.shared();
        if (shared != null && given.isEmpty()) {
            return run(shared.connection());
        }
        ConnectionOptions effective = shared == null ? given : usage(() -> shared.options().overriddenBy(given));
        try (Connection cluster = Connection.open(effective, context.env(), context.cwd(), context.home())) {
            return run(cluster);
        }
    }

    /** The connection options of this command line: its own and its parents' (fctl's, members'). */
    private ConnectionOptions given() {
        ConnectionOptions given = new ConnectionOptions();
        for (CommandSpec command = spec; command != null; command = command.parent()) {
            ConnectionOptions outer = connectionOptions(command);
            if (outer != null) {
                ConnectionOptions inner = given;
                given = usage(() -> outer.merge(inner));
            }
        }
        return given;
    }

    /** The connection options mixed into {@code command}, or null when it has none. */
    static ConnectionOptions connectionOptions(CommandSpec command) {
        CommandSpec mixin = command.mixins().get("connection");
        return mixin != null && mixin.userObject() instanceof ConnectionOptions options ? options : null;
    }

    private ConnectionOptions usage(java.util.function.Supplier<ConnectionOptions> options) {
        try {
            return options.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** @return the exit code */
    protected abstract int run(Connection cluster) throws Exception;

    protected PrintWriter out() {
        return context.out();
    }

    protected PrintWriter err() {
        return context.err();
    }
}
