package io.fulcrum.config.command;

import io.fulcrum.config.ConfigException;

/**
 * The parser's error: a command that cannot be understood, with one line naming the command, the
 * parameter and what is allowed. Always {@link Reason#INVALID_ARGUMENT}.
 */
public final class CommandException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public CommandException(String message) {
        super(Reason.INVALID_ARGUMENT, message);
    }
}
