package io.fulcrum.ctl.cli;

import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.CommandException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** fctl's exit codes and the one place that maps a failure to one (and to its message). */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran and failed (invalid input, refused change, permission). */
    public static final int FAILED = 1;
    /** fctl was called wrongly (unknown option, missing argument, a command-language line that does not parse). */
    public static final int USAGE = 2;
    /** The cluster could not be reached or had no leader: retrying may help. */
    public static final int UNAVAILABLE = 3;
    /** What the command names does not exist. */
    public static final int NOT_FOUND = 4;

    private ExitCodes() {
    }

    public static int of(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return switch (status.getStatus().getCode()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, UNKNOWN -> UNAVAILABLE;
                case NOT_FOUND -> NOT_FOUND;
                default -> FAILED;
            };
        }
        if (failure instanceof CommandException) {
            return USAGE;
        }
        if (failure instanceof ConfigException config) {
            return config.reason() == ConfigException.Reason.NOT_FOUND ? NOT_FOUND : FAILED;
        }
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        return FAILED;
    }

    /** One line for stderr. */
    public static String message(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            Status s = status.getStatus();
            String description = s.getDescription() == null ? s.getCode().name() : s.getDescription();
            return switch (s.getCode()) {
                case UNAVAILABLE -> "cluster unavailable: " + description;
                case DEADLINE_EXCEEDED -> "cluster did not answer in time: " + description;
                case UNAUTHENTICATED -> "not authenticated: " + description;
                case PERMISSION_DENIED -> "permission denied: " + description;
                default -> description;
            };
        }
        if (failure instanceof UncheckedIOException io) {
            return message(io.getCause());
        }
        if (failure instanceof java.nio.file.NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (failure instanceof IOException io) {
            return io.getMessage();
        }
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /** A named thing does not exist (exit code 4). */
    public static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NotFoundException(String message) {
            super(message);
        }
    }
}
