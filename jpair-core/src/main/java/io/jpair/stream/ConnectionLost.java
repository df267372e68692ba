package io.jpair.stream;

import java.io.IOException;

/**
 * The reason given to {@link Protocol#connectionLost} when a connection ended uncleanly (Twisted's
 * {@code ConnectionLost}): reset by the peer, timed out, or torn down by a network error. An
 * orderly close is reported with {@link io.jpair.reactor.ConnectionDone} instead, and
 * {@link StreamTransport#abortConnection()} with {@link ConnectionAborted}.
 */
public class ConnectionLost extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the reason.
     *
     * @param message what happened, e.g. {@code "connection reset by 10.0.0.1:40000"}
     */
    public ConnectionLost(String message) {
        super(message);
    }

    /**
     * Creates the reason with its cause.
     *
     * @param message what happened
     * @param cause the error underneath (an errno, an ICMP error)
     */
    public ConnectionLost(String message, Throwable cause) {
        super(message, cause);
    }
}
