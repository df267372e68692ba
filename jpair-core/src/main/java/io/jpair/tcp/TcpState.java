package io.jpair.tcp;

/**
 * The states of a TCP connection (RFC 9293 section 3.3.2). LISTEN belongs to a
 * {@link TcpListener}; a {@link TcpConnection} goes through the others.
 */
public enum TcpState {
    /** No connection: never opened, or gone. */
    CLOSED,
    /** Waiting for a connection request (a listener). */
    LISTEN,
    /** Our SYN is sent; waiting for the peer's. */
    SYN_SENT,
    /** A SYN was received and answered; waiting for its acknowledgment. */
    SYN_RECEIVED,
    /** Open: data flows both ways. */
    ESTABLISHED,
    /** We sent a FIN; it is not yet acknowledged. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged; waiting for the peer's. */
    FIN_WAIT_2,
    /** The peer sent a FIN; we may still send. */
    CLOSE_WAIT,
    /** Both sent a FIN at once; ours is not yet acknowledged. */
    CLOSING,
    /** The peer closed first, then we did; waiting for the acknowledgment of our FIN. */
    LAST_ACK,
    /** Both FINs acknowledged; waiting 2 MSL so that stray segments die out. */
    TIME_WAIT;

    /**
     * Whether sequence numbers are synchronized (every state from ESTABLISHED on, RFC 9293
     * section 3.5.2).
     *
     * @return true for ESTABLISHED and later
     */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
