package io.fulcrum.controlplane.discovery;

/** No resolver answered a discovery query (timeout, SERVFAIL, refused, unreachable): the servers are kept. */
final class LookupFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LookupFailedException(String message) {
        super(message, null, false, false);
    }
}
