package io.jpair.stream;

import java.nio.ByteBuffer;

/**
 * One connection's application logic (Twisted's {@code Protocol}): told when the connection is
 * made, given the bytes that arrive, told when it is lost, and writing through its
 * {@link #transport()}.
 *
 * <pre>{@code
 * final class Echo extends Protocol {
 *     @Override
 *     public void dataReceived(ByteBuffer data) {
 *         transport().write(data);                 // copied: data is only borrowed
 *     }
 * }
 * }</pre>
 *
 * <p>The same protocol runs on jpair's userspace TCP and on a kernel TCP socket. Never touches a
 * syscall; reactor thread only.
 */
public abstract class Protocol {
    private StreamTransport transport;

    /** A protocol not yet connected. */
    protected Protocol() {
    }

    /**
     * The transport of this protocol's connection.
     *
     * @return the transport, or {@code null} before {@link #makeConnection}
     */
    public final StreamTransport transport() {
        return transport;
    }

    /**
     * Attaches the transport and calls {@link #connectionMade()} (done by the transport once the
     * connection is established).
     *
     * @param streamTransport the connection's transport
     * @throws IllegalStateException if already connected
     */
    public final void makeConnection(StreamTransport streamTransport) {
        if (transport != null) {
            throw new IllegalStateException(getClass().getName() + " is already connected to " + transport);
        }
        transport = java.util.Objects.requireNonNull(streamTransport, "streamTransport");
        connectionMade();
    }

    /** The connection is established and {@link #transport()} usable. Does nothing by default. */
    protected void connectionMade() {
    }

    /**
     * Bytes arrived, in order, each byte once.
     *
     * <p>Buffer ownership: {@code data} (position to limit) is valid only during this call; copy what
     * you keep. Its position may be moved.
     *
     * @param data the bytes
     */
    public abstract void dataReceived(ByteBuffer data);

    /**
     * The peer will send nothing more (a FIN was received; Twisted's
     * {@code IHalfCloseableProtocol.readConnectionLost}). By default the connection is closed once
     * what this side wrote has been sent ({@link StreamTransport#loseConnection()}); override to keep
     * writing on a half-open connection and close later.
     */
    public void readConnectionLost() {
        transport.loseConnection();
    }

    /**
     * The connection is gone; {@link #transport()} accepts no more writes.
     *
     * @param reason {@link io.jpair.reactor.ConnectionDone} for an orderly close,
     *     {@link ConnectionAborted} after {@link StreamTransport#abortConnection()}, another
     *     {@link ConnectionLost} when reset or timed out
     */
    public void connectionLost(Throwable reason) {
    }
}
