package io.fulcrum.config.schema;

/**
 * Names of the resources that exist without being configured. The event-loop groups are created
 * by every data-plane node itself (the worker group has one loop per core of that node);
 * (allow-all) is the security group a listener uses when none is given.
 */
public final class BuiltIns {
    public static final String ACCEPTOR_ELG = "(acceptor-elg)";
    public static final String WORKER_ELG = "(worker-elg)";
    public static final String CONTROL_ELG = "(control-elg)";
    public static final String ALLOW_ALL = "(allow-all)";

    private BuiltIns() {
    }
}
