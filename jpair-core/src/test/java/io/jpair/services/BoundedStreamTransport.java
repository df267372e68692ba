package io.jpair.services;

import io.jpair.stream.StreamTransport;
import io.jpair.transport.Producer;
import io.jpair.transport.PushProducer;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A stream transport with a bounded send buffer, as the TCP transports behave: a registered push
 * producer is paused once more than {@code limit} bytes are buffered and resumed by
 * {@link #drain()}. Checks that what is written follows the {@code k mod 256} pattern of the bulk
 * services: every byte when recording them, else the first and last byte of each write (which
 * allocates nothing and keeps the allocation tests fast).
 */
final class BoundedStreamTransport implements StreamTransport {
    private final long limit;
    private final ByteArrayOutputStream recorded;
    private long buffered;
    private long total;
    private long patternErrors;
    private long patternOffset;
    private Producer producer;
    private boolean pausedProducer;
    private boolean closing;
    private boolean aborted;
    private boolean readingPaused;
    private int writes;

    BoundedStreamTransport(long limit, boolean record) {
        this.limit = limit;
        this.recorded = record ? new ByteArrayOutputStream() : null;
    }

    @Override
    public int write(ByteBuffer data) {
        if (closing || aborted) {
            return 0;
        }
        int length = data.remaining();
        if (recorded != null) {
            for (int i = data.position(); i < data.limit(); i++) {
                byte b = data.get(i);
                if (b != (byte) (patternOffset + i - data.position())) {
                    patternErrors++;
                }
                recorded.write(b);
            }
        } else if (length > 0 && (data.get(data.position()) != (byte) patternOffset
                || data.get(data.limit() - 1) != (byte) (patternOffset + length - 1))) {
            patternErrors++; // without recording, the first and last byte of each write
        }
        patternOffset += length;
        buffered += length;
        total += length;
        writes++;
        if (buffered > limit && producer instanceof PushProducer push && !pausedProducer) {
            pausedProducer = true;
            push.pauseProducing();
        }
        return length;
    }

    /** The peer acknowledged everything: the buffer empties and a paused producer resumes. */
    void drain() {
        buffered = 0;
        if (pausedProducer && producer instanceof PushProducer push) {
            pausedProducer = false;
            push.resumeProducing();
        }
    }

    long total() {
        return total;
    }

    long patternErrors() {
        return patternErrors;
    }

    int writes() {
        return writes;
    }

    boolean producerPaused() {
        return pausedProducer;
    }

    byte[] recorded() {
        return recorded.toByteArray();
    }

    boolean isClosing() {
        return closing;
    }

    boolean isAborted() {
        return aborted;
    }

    boolean isReadingPaused() {
        return readingPaused;
    }

    Producer producer() {
        return producer;
    }

    @Override
    public void loseConnection() {
        closing = true;
    }

    @Override
    public void loseWriteConnection() {
        closing = true;
    }

    @Override
    public void abortConnection() {
        aborted = true;
    }

    @Override
    public InetSocketAddress getHost() {
        return new InetSocketAddress("10.0.0.2", 19);
    }

    @Override
    public InetSocketAddress getPeer() {
        return new InetSocketAddress("10.0.0.1", 40000);
    }

    @Override
    public long bufferedBytes() {
        return buffered;
    }

    @Override
    public void setTcpNoDelay(boolean noDelay) {
    }

    @Override
    public boolean getTcpNoDelay() {
        return false;
    }

    @Override
    public void registerProducer(Producer newProducer, boolean streaming) {
        if (producer != null) {
            throw new IllegalStateException("a producer is already registered");
        }
        producer = newProducer;
        pausedProducer = false;
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        pausedProducer = false;
    }

    @Override
    public void pauseProducing() {
        readingPaused = true;
    }

    @Override
    public void resumeProducing() {
        readingPaused = false;
    }
}
