package io.fulcrum.dataplane.admin;

/**
 * One condition of {@code /ready}. The node is ready when every registered check is; a check is
 * asked on every request to {@code /ready}, from the admin thread, and must answer quickly.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** Null when this condition holds, else why not, in words ("no config applied yet"). */
    String unreadyReason();
}
