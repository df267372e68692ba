package io.jpair.transport;

import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.reactor.Reactor;
import io.jpair.reactor.WriteDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A transport that owns one fd, watched by a reactor (Twisted's
 * {@code twisted.internet.abstract.FileDescriptor}): buffered writes flushed by {@link #doWrite()}
 * through {@link #writeSomeData}, orderly and half close, and producer flow control.
 *
 * <p>State: {@code connected} while open; {@code disconnecting} once a close was requested and
 * the buffer is draining; {@code disconnected} after {@link #connectionLost}. Writes are copied
 * into one reused direct buffer (no allocation per write once it has grown to the peak backlog) ({@value #BUFFER_SIZE} bytes before a streaming producer is paused).
 *
 * <p>Threading: reactor thread only.
 */
public abstract class FileDescriptor implements ReadDescriptor, WriteDescriptor, DataConsumer, PushProducer,
        HalfCloseableDescriptor {
    /** Buffered bytes beyond which a streaming producer is paused (Twisted's {@code bufferSize}). */
    public static final int BUFFER_SIZE = 65536;

    /** The reactor watching this descriptor. */
    protected final Reactor reactor;
    /** Open. */
    protected boolean connected;
    /** Closed; {@link #connectionLost} ran. */
    protected boolean disconnected;
    /** A close was requested. */
    protected boolean disconnecting;
    private boolean writeDisconnecting;
    private boolean writeDisconnected;
    // The write buffer: bytes [0, limit) of one direct buffer, flushed from its position. It grows
    // by doubling and is compacted when it drains, so steady-state writes allocate nothing.
    private ByteBuffer pending = ByteBuffer.allocateDirect(0);
    private Producer producer;
    private boolean streamingProducer;
    private boolean producerPaused;

    /**
     * Creates the descriptor.
     *
     * @param reactor the reactor that will watch it
     */
    protected FileDescriptor(Reactor reactor) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
    }

    /**
     * Writes as much of {@code data} as the fd takes now, without blocking.
     *
     * @param data the bytes to write, from its position; advance the position by what was written
     * @return bytes written (0 when the fd would block)
     * @throws IOException when the write failed; the reactor then disconnects this descriptor
     */
    protected abstract int writeSomeData(ByteBuffer data) throws IOException;

    /**
     * Buffers a copy of {@code data} and asks the reactor for writability. Dropped silently when
     * not connected or after {@link #loseWriteConnection()} (Twisted's behaviour).
     */
    @Override
    public int write(ByteBuffer data) throws IOException {
        if (!connected || writeDisconnected || !data.hasRemaining()) {
            return 0;
        }
        int length = data.remaining();
        reserve(length);
        int end = pending.limit();
        pending.limit(end + length);
        pending.put(end, data, data.position(), length);
        maybePauseProducer();
        startWriting();
        return length;
    }

    /** Room for {@code length} more bytes: the flushed head is dropped first, then the buffer doubles. */
    private void reserve(int length) {
        if (pending.capacity() - pending.limit() >= length) {
            return;
        }
        int buffered = pending.remaining();
        if (pending.capacity() - buffered >= length) {
            pending.compact().flip();
            return;
        }
        ByteBuffer grown = ByteBuffer.allocateDirect(Math.max(Math.max(4096, pending.capacity() * 2), buffered + length));
        grown.put(pending).flip();
        pending = grown;
    }

    /**
     * Buffers every element, in order, as for {@link #write(ByteBuffer)}.
     *
     * @param parts the pieces
     * @return the bytes accepted
     * @throws IOException never from buffering itself
     */
    public int writeSequence(List<ByteBuffer> parts) throws IOException {
        int accepted = 0;
        for (int i = 0; i < parts.size(); i++) {
            accepted += write(parts.get(i));
        }
        return accepted;
    }

    /**
     * How many bytes wait to be written.
     *
     * @return the buffered byte count
     */
    public long bufferedBytes() {
        return pending.remaining();
    }

    private void maybePauseProducer() {
        if (producer instanceof PushProducer push && streamingProducer && pending.remaining() > BUFFER_SIZE) {
            producerPaused = true;
            push.pauseProducing();
        }
    }

    /**
     * Flushes the buffer. When it is empty: stops writing, then resumes a pull or paused producer,
     * or completes a requested close (by throwing {@link ConnectionDone}, which the reactor turns
     * into {@code connectionLost}) or half close.
     */
    @Override
    public void doWrite() throws Exception {
        if (pending.hasRemaining()) {
            writeSomeData(pending);
            if (pending.hasRemaining()) {
                return;
            }
            pending.clear().limit(0);
        }
        stopWriting();
        if (producer != null && (!streamingProducer || producerPaused)) {
            producerPaused = false;
            if (producer instanceof PullProducer pull) {
                pull.resumeProducing();
            } else if (producer instanceof PushProducer push) {
                push.resumeProducing();
            }
        } else if (disconnecting) {
            throw new ConnectionDone("connection closed after flushing");
        } else if (writeDisconnecting) {
            writeDisconnected = true;
            closeWriteConnection();
        }
    }

    /** Hook for a half close once the buffer drained. Does nothing by default. */
    protected void closeWriteConnection() {
    }

    /**
     * Closes after the buffer drains (immediately if the write side is already closed).
     */
    public void loseConnection() {
        if (!connected || disconnecting) {
            return;
        }
        if (writeDisconnected) {
            stopReading();
            stopWriting();
            connectionLost(new ConnectionDone("connection closed"));
        } else {
            stopReading();
            startWriting();
            disconnecting = true;
        }
    }

    /**
     * Closes the write side once the buffer drains.
     */
    public void loseWriteConnection() {
        writeDisconnecting = true;
        startWriting();
    }

    /**
     * Closes the write side now, for a descriptor with nothing buffered (a packet port): later
     * writes are refused, {@link #closeWriteConnection()} runs once, reading goes on.
     */
    protected void closeWriteSideNow() {
        if (writeDisconnected) {
            return;
        }
        writeDisconnecting = true;
        writeDisconnected = true;
        closeWriteConnection();
    }

    /**
     * Whether the write side was closed ({@link #loseWriteConnection()} completed).
     *
     * @return true once writes are refused
     */
    public boolean isWriteDisconnected() {
        return writeDisconnected;
    }

    /**
     * Marks the descriptor open again, as a restarted port is: connected, no close requested,
     * both sides open, nothing buffered.
     */
    protected void reopened() {
        connected = true;
        disconnected = false;
        disconnecting = false;
        writeDisconnecting = false;
        writeDisconnected = false;
        pending.clear().limit(0);
    }

    @Override
    public void readConnectionLost(Throwable reason) {
        connectionLost(reason);
    }

    @Override
    public void writeConnectionLost(Throwable reason) {
        connectionLost(reason);
    }

    /**
     * The one place resources are released: marks the descriptor disconnected, stops and drops
     * the producer, and stops reading and writing. Subclasses close their fd after calling this.
     */
    @Override
    public void connectionLost(Throwable reason) {
        disconnected = true;
        connected = false;
        if (producer != null) {
            Producer stopping = producer;
            producer = null;
            stopping.stopProducing();
        }
        stopReading();
        stopWriting();
    }

    @Override
    public void registerProducer(Producer newProducer, boolean streaming) {
        Objects.requireNonNull(newProducer, "producer");
        if (producer != null) {
            throw new IllegalStateException("Cannot register producer " + newProducer + ", because producer "
                + producer + " was never unregistered.");
        }
        if (streaming && !(newProducer instanceof PushProducer)) {
            throw new IllegalArgumentException("a streaming producer must be a PushProducer: " + newProducer);
        }
        if (!streaming && !(newProducer instanceof PullProducer)) {
            throw new IllegalArgumentException("a non-streaming producer must be a PullProducer: " + newProducer);
        }
        if (disconnected) {
            newProducer.stopProducing();
            return;
        }
        producer = newProducer;
        streamingProducer = streaming;
        if (!streaming) {
            ((PullProducer) newProducer).resumeProducing();
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        if (connected && disconnecting) {
            startWriting();
        }
    }

    /**
     * The registered producer.
     *
     * @return it, or {@code null}
     */
    public Producer producer() {
        return producer;
    }

    /** As a producer itself: stop reading. */
    @Override
    public void pauseProducing() {
        stopReading();
    }

    /** As a producer itself: read again if still open. */
    @Override
    public void resumeProducing() {
        if (connected && !disconnecting) {
            startReading();
        }
    }

    /** As a producer itself: close. */
    @Override
    public void stopProducing() {
        loseConnection();
    }

    /** {@code reactor.addReader(this)}. */
    public void startReading() {
        reactor.addReader(this);
    }

    /** {@code reactor.removeReader(this)}. */
    public void stopReading() {
        reactor.removeReader(this);
    }

    /** {@code reactor.addWriter(this)}. */
    public void startWriting() {
        reactor.addWriter(this);
    }

    /** {@code reactor.removeWriter(this)}. */
    public void stopWriting() {
        reactor.removeWriter(this);
    }

    /**
     * Whether the descriptor is open.
     *
     * @return true between start and {@code connectionLost}
     */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Whether a close was requested.
     *
     * @return true once closing started
     */
    public boolean isDisconnecting() {
        return disconnecting;
    }

    /**
     * Whether {@link #connectionLost} ran.
     *
     * @return true once closed
     */
    public boolean isDisconnected() {
        return disconnected;
    }
}
