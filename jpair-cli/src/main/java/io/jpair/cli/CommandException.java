package io.jpair.cli;

/**
 * A failure the user can act on, reported as one line (no stack trace unless {@code -e}): what
 * went wrong and what to do about it.
 */
public final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message one line: the problem, then a colon and the remedy when there is one
     */
    public CommandException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause (shown with {@code --verbose}).
     *
     * @param message one line
     * @param cause the underlying failure
     */
    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
