package io.jpair.stream;

/**
 * The reason given to {@link Protocol#connectionLost} after {@link StreamTransport#abortConnection()}
 * (Twisted's {@code ConnectionAborted}): buffered data was discarded and the peer was reset.
 */
public final class ConnectionAborted extends ConnectionLost {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message which connection was aborted
     */
    public ConnectionAborted(String message) {
        super(message);
    }
}
