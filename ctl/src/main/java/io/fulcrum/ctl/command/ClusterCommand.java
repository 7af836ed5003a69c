package io.fulcrum.ctl.command;

import io.fulcrum.ctl.FctlContext;
import io.fulcrum.ctl.connect.Connection;
import io.fulcrum.ctl.connect.ConnectionOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that talks to the cluster: opens the connection, runs, closes it. */
abstract class ClusterCommand implements Callable<Integer> {
    protected final FctlContext context;

    @Mixin
    ConnectionOptions connection;

    protected ClusterCommand(FctlContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() throws Exception {
        if (context.connection() != null) {
            return run(context.connection());
        }
        try (Connection cluster = Connection.open(connection, context)) {
            return run(cluster);
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
