package io.jpair.stream;

import io.jpair.transport.DataConsumer;
import io.jpair.transport.Producer;
import io.jpair.transport.PushProducer;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One connection's byte stream, as its {@link Protocol} sees it (Twisted's {@code ITCPTransport}):
 * buffered writes, orderly, half and abortive close, the two addresses, and flow control both ways.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} takes the bytes between position and limit into the
 * transport's send buffer (the caller's buffer is neither kept nor moved) and never blocks or throws
 * for network conditions; after {@link #loseConnection()} writes are dropped and return 0, as in
 * Twisted. A producer registered with {@link #registerProducer} is paused while the send buffer holds
 * more than the transport's limit and resumed when it drains; a pull producer is asked each time it
 * drains.
 *
 * <p><b>Reading.</b> The transport is itself a {@link PushProducer} of received data:
 * {@link #pauseProducing()} stops {@link Protocol#dataReceived} calls (on TCP the receive window
 * then closes as the receive buffer fills, so the peer stops sending) and {@link #resumeProducing()}
 * delivers what was held and reopens it. {@link #stopProducing()} is {@link #abortConnection()}.
 *
 * <p>Reactor thread only.
 */
public interface StreamTransport extends DataConsumer, PushProducer {
    /**
     * Buffers a copy of the bytes between {@code data}'s position and limit for sending.
     *
     * @param data the bytes; position unchanged on return
     * @return the bytes accepted: all of them while connected, 0 after a close was requested
     */
    @Override
    int write(ByteBuffer data);

    /**
     * Buffers a copy of an array.
     *
     * @param data the bytes
     * @return as for {@link #write(ByteBuffer)}
     */
    default int write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }

    /**
     * Buffers every buffer, in order (Twisted's {@code writeSequence}).
     *
     * @param data the pieces
     * @return the bytes accepted
     */
    default int writeSequence(List<ByteBuffer> data) {
        int accepted = 0;
        for (int i = 0; i < data.size(); i++) {
            accepted += write(data.get(i));
        }
        return accepted;
    }

    /**
     * Closes the connection once the send buffer has drained (and a registered producer has been
     * unregistered): on TCP a FIN follows the last byte. {@link Protocol#connectionLost} runs with
     * {@link io.jpair.reactor.ConnectionDone} when both sides are closed. Idempotent.
     */
    void loseConnection();

    /**
     * Half-closes: sends a FIN once the send buffer has drained, but goes on reading (Twisted's
     * {@code ITCPTransport.loseWriteConnection}). Idempotent.
     */
    void loseWriteConnection();

    /**
     * Closes at once: the send buffer is discarded, the peer is reset (RST), and
     * {@link Protocol#connectionLost} runs with {@link ConnectionAborted} before this returns or on
     * the next reactor turn. Idempotent.
     */
    void abortConnection();

    /**
     * This side's address and port.
     *
     * @return the local endpoint
     */
    InetSocketAddress getHost();

    /**
     * The remote address and port.
     *
     * @return the peer's endpoint
     */
    InetSocketAddress getPeer();

    /**
     * Bytes written but not yet acknowledged or handed to the kernel.
     *
     * @return the send buffer's occupancy
     */
    long bufferedBytes();

    /**
     * Turns Nagle's algorithm off ({@code true}: small writes go out at once) or on.
     *
     * @param noDelay {@code TCP_NODELAY}
     */
    void setTcpNoDelay(boolean noDelay);

    /**
     * Whether Nagle's algorithm is off.
     *
     * @return {@code TCP_NODELAY}
     */
    boolean getTcpNoDelay();

    /**
     * Attaches a producer of outgoing data (Twisted's {@code registerProducer}).
     *
     * @param producer a {@link PushProducer} when {@code streaming}, else a
     *     {@link io.jpair.transport.PullProducer}
     * @param streaming true for a push producer
     * @throws IllegalStateException if one is already registered
     */
    @Override
    void registerProducer(Producer producer, boolean streaming);

    /** Stops reading: no {@link Protocol#dataReceived} until {@link #resumeProducing()}. */
    @Override
    void pauseProducing();

    /** Reads again, delivering first what arrived while paused. */
    @Override
    void resumeProducing();

    /** The consumer is gone: same as {@link #abortConnection()}. */
    @Override
    default void stopProducing() {
        abortConnection();
    }
}
