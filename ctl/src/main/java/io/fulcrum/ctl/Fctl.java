package io.fulcrum.ctl;

import io.fulcrum.ctl.cli.FctlContext;
import io.fulcrum.ctl.command.CommandTree;

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
        return CommandTree.run(context, args);
    }
}
