package io.jpair.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A port that can start and stop listening (Twisted's {@code IListeningPort}).
 */
public interface ListeningPort {
    /**
     * Opens the underlying resource and starts delivering to the protocol.
     *
     * @throws CannotListenException naming the resource and the errno when opening fails
     */
    void startListening() throws CannotListenException;

    /**
     * Stops listening; the returned future completes once everything is released.
     *
     * @return completes after the port's {@code connectionLost} has run
     */
    CompletableFuture<Void> stopListening();

    /**
     * The local address.
     *
     * @return the address
     */
    Address getHost();
}
