package io.fulcrum.config.model;

import io.fulcrum.config.ConfigException;

/**
 * A batch that the model refuses: the message names the mutation, the parameter and what is
 * allowed. The model is unchanged when this is thrown.
 */
public final class ValidationException extends ConfigException {
    private static final long serialVersionUID = 1L;

    private final int mutationIndex;

    public ValidationException(Reason reason, String message) {
        this(reason, message, -1);
    }

    private ValidationException(Reason reason, String message, int mutationIndex) {
        super(reason, message);
        this.mutationIndex = mutationIndex;
    }

    /** The 0-based index of the failed mutation in its batch, or -1 if it was the batch as a whole. */
    public int mutationIndex() {
        return mutationIndex;
    }

    static ValidationException invalid(String message) {
        return new ValidationException(Reason.INVALID_ARGUMENT, message);
    }

    ValidationException withContext(String context, int mutationIndex) {
        return new ValidationException(reason(), context + ": " + getMessage(), mutationIndex);
    }
}
