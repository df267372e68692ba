package io.jpair.stream;

import java.net.InetSocketAddress;

/**
 * Builds the protocol for one connection (Twisted's {@code Factory.buildProtocol}).
 *
 * <pre>{@code
 * host.listenTcp(7, peer -> new Echo());
 * }</pre>
 *
 * @param <P> the protocol type, so that a client's connect future is typed
 */
@FunctionalInterface
public interface ProtocolFactory<P extends Protocol> {
    /**
     * A connection was accepted (server) or is being made (client).
     *
     * @param peer the remote address and port
     * @return a new protocol for this connection, or {@code null} to refuse it (the connection is
     *     then closed at once, as Twisted does when {@code buildProtocol} returns {@code None})
     */
    P buildProtocol(InetSocketAddress peer);
}
