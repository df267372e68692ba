package io.jpair.testing;

import io.jpair.stream.Protocol;
import io.jpair.stream.StreamTransport;
import io.jpair.transport.Producer;
import io.jpair.transport.PullProducer;
import io.jpair.transport.PushProducer;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@link StreamTransport} that keeps what is written in memory (Twisted's
 * {@code proto_helpers.StringTransport}), for testing a {@link Protocol} without a network.
 *
 * <pre>{@code
 * MemoryStreamTransport transport = new MemoryStreamTransport();
 * Echo echo = new Echo();
 * echo.makeConnection(transport);
 * echo.dataReceived(ByteBuffer.wrap("hi".getBytes(US_ASCII)));
 * assertThat(transport.writtenString()).isEqualTo("hi");
 * }</pre>
 *
 * <p>Nothing is sent anywhere: a close only sets {@link #isDisconnecting()} or {@link #isAborted()}
 * (the test calls {@link Protocol#connectionLost} itself when it wants the end of the connection).
 * Not thread-safe; tests drive it from one thread.
 */
public final class MemoryStreamTransport implements StreamTransport {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final InetSocketAddress host;
    private final InetSocketAddress peer;
    private boolean disconnecting;
    private boolean writeDisconnecting;
    private boolean aborted;
    private boolean readingPaused;
    private boolean noDelay;
    private Producer producer;
    private boolean streaming;

    /** A transport between 10.0.0.2:7 (host) and 10.0.0.1:40000 (peer). */
    public MemoryStreamTransport() {
        this(new InetSocketAddress("10.0.0.2", 7), new InetSocketAddress("10.0.0.1", 40000));
    }

    /**
     * A transport with the given endpoints.
     *
     * @param host this side
     * @param peer the other side
     */
    public MemoryStreamTransport(InetSocketAddress host, InetSocketAddress peer) {
        this.host = Objects.requireNonNull(host, "host");
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public int write(ByteBuffer data) {
        if (disconnecting || writeDisconnecting || aborted) {
            return 0;
        }
        int length = data.remaining();
        for (int i = data.position(); i < data.limit(); i++) {
            written.write(data.get(i));
        }
        return length;
    }

    /**
     * Everything written so far.
     *
     * @return a copy of the bytes
     */
    public byte[] written() {
        return written.toByteArray();
    }

    /**
     * Everything written so far, as ISO-8859-1 text (one char per byte).
     *
     * @return the text
     */
    public String writtenString() {
        return written.toString(StandardCharsets.ISO_8859_1);
    }

    /** Forgets what was written (Twisted's {@code StringTransport.clear}). */
    public void clear() {
        written.reset();
    }

    @Override
    public void loseConnection() {
        disconnecting = true;
    }

    @Override
    public void loseWriteConnection() {
        writeDisconnecting = true;
    }

    @Override
    public void abortConnection() {
        aborted = true;
    }

    /**
     * Whether {@link #loseConnection()} was called.
     *
     * @return true once a close was requested
     */
    public boolean isDisconnecting() {
        return disconnecting;
    }

    /**
     * Whether {@link #loseWriteConnection()} was called.
     *
     * @return true once a half close was requested
     */
    public boolean isWriteDisconnecting() {
        return writeDisconnecting;
    }

    /**
     * Whether {@link #abortConnection()} (or {@link #stopProducing()}) was called.
     *
     * @return true once aborted
     */
    public boolean isAborted() {
        return aborted;
    }

    @Override
    public InetSocketAddress getHost() {
        return host;
    }

    @Override
    public InetSocketAddress getPeer() {
        return peer;
    }

    @Override
    public long bufferedBytes() {
        return 0;
    }

    @Override
    public void setTcpNoDelay(boolean noDelay) {
        this.noDelay = noDelay;
    }

    @Override
    public boolean getTcpNoDelay() {
        return noDelay;
    }

    @Override
    public void registerProducer(Producer newProducer, boolean isStreaming) {
        Objects.requireNonNull(newProducer, "producer");
        if (producer != null) {
            throw new IllegalStateException("a producer is already registered: " + producer);
        }
        if (isStreaming ? !(newProducer instanceof PushProducer) : !(newProducer instanceof PullProducer)) {
            throw new IllegalArgumentException((isStreaming ? "a streaming producer must be a PushProducer: "
                : "a non-streaming producer must be a PullProducer: ") + newProducer);
        }
        producer = newProducer;
        streaming = isStreaming;
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        streaming = false;
    }

    /**
     * The registered producer.
     *
     * @return the producer, or {@code null}
     */
    public Producer producer() {
        return producer;
    }

    /**
     * Whether the registered producer is a streaming (push) one.
     *
     * @return true for a push producer
     */
    public boolean isStreaming() {
        return streaming;
    }

    @Override
    public void pauseProducing() {
        readingPaused = true;
    }

    @Override
    public void resumeProducing() {
        readingPaused = false;
    }

    /**
     * Whether the protocol paused reading with {@link #pauseProducing()}.
     *
     * @return true while paused
     */
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public String toString() {
        return "MemoryStreamTransport[" + host + " <-> " + peer + "]";
    }
}
