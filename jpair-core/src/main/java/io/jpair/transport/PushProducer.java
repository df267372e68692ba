package io.jpair.transport;

/**
 * A producer that writes on its own until told to pause (Twisted's {@code IPushProducer}).
 * Registered with {@code streaming = true}. Called on the reactor thread.
 */
public interface PushProducer extends Producer {
    /**
     * The consumer's buffer is full: stop writing until {@link #resumeProducing()}.
     */
    void pauseProducing();

    /**
     * The consumer drained: write again. Only called to balance an earlier pause.
     */
    void resumeProducing();
}
