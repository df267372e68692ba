package io.jpair.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Something data is written into, with producer flow control (Twisted's {@code IConsumer}).
 * Reactor thread only.
 */
public interface DataConsumer {
    /**
     * Attaches a producer. A push producer ({@code streaming}) is paused when the consumer's buffer
     * fills and resumed when it drains; a pull producer is asked for data at once and again each
     * time the buffer drains.
     *
     * @param producer the producer: a {@link PushProducer} when streaming, else a
     *     {@link PullProducer}
     * @param streaming true for a push producer
     * @throws IllegalStateException if a producer is already registered
     * @throws IllegalArgumentException if the producer's type does not match {@code streaming}
     */
    void registerProducer(Producer producer, boolean streaming);

    /**
     * Detaches the producer, if any.
     */
    void unregisterProducer();

    /**
     * Writes the bytes between {@code data}'s position and limit. The consumer does not keep
     * {@code data} and does not move its position: the caller owns it again on return.
     *
     * @param data the bytes
     * @return how many bytes were accepted (written or buffered); 0 when dropped
     * @throws IOException if the underlying write failed in a way that is not flow control
     */
    int write(ByteBuffer data) throws IOException;
}
