package io.jpair.tcp;

import io.jpair.stream.ProtocolFactory;

/**
 * A TCP port in LISTEN (RFC 9293 section 3.10.7.2): each SYN becomes a {@link TcpConnection} in
 * SYN-RECEIVED, and each connection that reaches ESTABLISHED gets a protocol from the factory
 * (there is no accept queue: as in Twisted, the factory is the acceptor). At most
 * {@link TcpOptions#backlog()} connections are half-open at once; beyond that a SYN is answered
 * with a SYN cookie (RFC 4987 section 3.6) when {@link TcpOptions#synCookies()} is on, else
 * dropped, so a SYN flood costs no memory.
 *
 * <p>Reactor thread only.
 */
public final class TcpListener {
    private final TcpProtocol tcp;
    private final int port;
    private final ProtocolFactory<?> factory;
    private int halfOpen;
    private long accepted;
    private boolean listening = true;

    TcpListener(TcpProtocol tcp, int port, ProtocolFactory<?> factory) {
        this.tcp = tcp;
        this.port = port;
        this.factory = factory;
    }

    /**
     * The local port.
     *
     * @return 0..65535
     */
    public int port() {
        return port;
    }

    ProtocolFactory<?> factory() {
        return factory;
    }

    /**
     * Connections in SYN-RECEIVED now.
     *
     * @return the count, at most the backlog
     */
    public int halfOpen() {
        return halfOpen;
    }

    /**
     * Connections that reached ESTABLISHED through this listener.
     *
     * @return the count
     */
    public long accepted() {
        return accepted;
    }

    /**
     * Whether SYNs are still accepted.
     *
     * @return false after {@link #stopListening()}
     */
    public boolean isListening() {
        return listening;
    }

    /**
     * Stops accepting connections: later SYNs to the port are answered with a RST. Connections
     * already made are not touched. Idempotent.
     */
    public void stopListening() {
        if (listening) {
            listening = false;
            tcp.removeListener(this);
        }
    }

    boolean backlogFull() {
        return halfOpen >= tcp.options().backlog();
    }

    void halfOpenAdded() {
        halfOpen++;
    }

    void halfOpenEstablished() {
        halfOpen--;
        accepted++;
    }

    void halfOpenGone() {
        halfOpen--;
    }

    void cookieAccepted() {
        accepted++;
    }

    @Override
    public String toString() {
        return "TcpListener[" + port + (listening ? "" : ", stopped") + ", half-open " + halfOpen + "]";
    }
}
