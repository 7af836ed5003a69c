package io.fulcrum.controlplane.api;

import io.fulcrum.config.ConfigException;
import io.fulcrum.controlplane.raft.NotLeaderException;
import io.fulcrum.controlplane.raft.OutcomeUnknownException;
import io.fulcrum.controlplane.raft.RaftFailedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into the status a client sees (gRPC, and the RESP endpoint
 * through it). The project's own exceptions carry a message meant for the caller and map to their
 * codes; anything else is a bug of this member: it is logged here once, with its stack, and the
 * caller gets {@code INTERNAL} with only where and when to look in the log, never the exception's
 * class, message or stack. Thread-safe.
 */
public final class Errors {
    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    private final String nodeId;
    private final Clock clock;

    /** @param nodeId the member whose log an internal error points to */
    public Errors(String nodeId, Clock clock) {
        this.nodeId = nodeId;
        this.clock = clock;
    }

    /** The status for {@code failure} (unwrapping completion and execution exceptions). */
    public StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException status) {
            return status;
        }
        if (t instanceof ConfigException config) {
            Status.Code code = switch (config.reason()) {
                case INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.Code.NOT_FOUND;
                case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
                case FAILED_PRECONDITION -> Status.Code.FAILED_PRECONDITION;
            };
            return Status.fromCode(code).withDescription(config.getMessage()).asRuntimeException();
        }
        if (t instanceof PermissionDeniedException denied) {
            return Status.PERMISSION_DENIED.withDescription(denied.getMessage()).asRuntimeException();
        }
        if (t instanceof NotLeaderException notLeader) {
            return Status.UNAVAILABLE.withDescription(notLeader.leaderRaftAddress() == null
                    ? "no leader right now (election in progress?); retry" : notLeader.getMessage() + "; retry")
                    .asRuntimeException();
        }
        if (t instanceof OutcomeUnknownException unknown) {
            return Status.UNKNOWN.withDescription("outcome unknown: " + unknown.getMessage() + "; read the config to "
                    + "see, or retry with the same request id (a change applies at most once)").asRuntimeException();
        }
        if (t instanceof RaftFailedException raft) {
            return Status.UNAVAILABLE.withDescription("cluster: " + raft.getMessage()).asRuntimeException();
        }
        if (t instanceof TimeoutException) {
            return Status.UNKNOWN.withDescription("outcome unknown: the cluster did not answer in time and the change "
                    + "may still be applied; read the config to see, or retry with the same request id").asRuntimeException();
        }
        if (t instanceof InvalidRequestException invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage()).asRuntimeException();
        }
        return internal(t);
    }

    private StatusRuntimeException internal(Throwable t) {
        String at = Instant.ofEpochMilli(clock.millis()).toString();
        log.error("internal error answering a call on {} at {}", nodeId, at, t);
        return Status.INTERNAL.withDescription("internal error (see the log of " + nodeId + " at " + at + ")")
                .asRuntimeException();
    }

    /** The cause inside completion and execution exceptions. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
