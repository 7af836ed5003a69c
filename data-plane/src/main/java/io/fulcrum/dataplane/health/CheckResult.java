package io.fulcrum.dataplane.health;

/**
 * The outcome of one health check, active or passive.
 *
 * @param reason    what happened, in words ("connect refused", "http status 503")
 * @param latencyUs how long a successful check took, µs; 0 for a failure
 */
public record CheckResult(boolean ok, String reason, long latencyUs) {

    public static CheckResult ok(String reason, long latencyUs) {
        return new CheckResult(true, reason, latencyUs);
    }

    public static CheckResult failed(String reason) {
        return new CheckResult(false, reason, 0);
    }
}
