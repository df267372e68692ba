package io.jpair.reactor;

/**
 * The reason given to {@link Selectable#connectionLost} for an orderly close (Twisted's
 * {@code ConnectionDone}). Carries no stack trace: it marks normal flow, not a fault.
 */
public final class ConnectionDone extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what closed, e.g. {@code "stopListening"}
     */
    public ConnectionDone(String message) {
        super(message, null, false, false);
    }
}
