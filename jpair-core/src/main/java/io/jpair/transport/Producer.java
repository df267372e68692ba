package io.jpair.transport;

/**
 * A source of data written into a {@link DataConsumer} (Twisted's {@code IProducer}).
 *
 * <p>Java name map: {@code IProducer} is {@code Producer}, {@code IPushProducer} is
 * {@link PushProducer}, {@code IPullProducer} is {@link PullProducer}, {@code IConsumer} is
 * {@link DataConsumer} (renamed: {@code java.util.function.Consumer} is taken).
 */
public interface Producer {
    /**
     * Stop for good: the consumer is going away. Called on the reactor thread.
     */
    void stopProducing();
}
