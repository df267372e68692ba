package io.jpair.transport;

/**
 * A producer that writes once each time it is asked (Twisted's {@code IPullProducer}).
 * Registered with {@code streaming = false}. Called on the reactor thread.
 */
public interface PullProducer extends Producer {
    /**
     * Write some data now, synchronously.
     */
    void resumeProducing();
}
