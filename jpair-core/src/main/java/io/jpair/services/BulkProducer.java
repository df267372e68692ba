package io.jpair.services;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ReactorTime;
import io.jpair.stream.StreamTransport;
import io.jpair.transport.PushProducer;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Writes a run of bytes into a {@link StreamTransport} as a push producer, from one reused
 * {@value #CHUNK}-byte buffer whose byte {@code i} is {@code i mod 256}: byte {@code k} of a run is
 * {@code k mod 256}, whatever the chunking, so a receiver can check every byte.
 *
 * <p>Writes until the transport pauses it (its send buffer is full), the run is complete, or the
 * transport refuses a write (it is closing). A transport that never pauses (one that hands every
 * write straight on) gets at most {@value #BURST} chunks per reactor turn; the rest follows on the
 * next turn ({@link ReactorTime#callLater} with a zero delay), so one connection cannot hold the
 * reactor. No allocation per chunk.
 *
 * <p>Not registered by itself: the owner registers it ({@code registerProducer(producer, true)}),
 * calls {@link #start}, and unregisters it when the run is complete. Reactor thread only.
 */
final class BulkProducer implements PushProducer {
    /** Bytes per write. */
    static final int CHUNK = 65536;
    /** A run with no end (until {@link #stopProducing()}). */
    static final long UNLIMITED = Long.MAX_VALUE;
    /** Chunks written per reactor turn when the transport does not pause the producer. */
    static final int BURST = 64;

    private static final ByteBuffer PATTERN = pattern();

    private final StreamTransport transport;
    private final ReactorTime clock;
    private final Runnable completed;
    private final Runnable continuation = this::produce;
    private final ByteBuffer chunk = PATTERN.duplicate();
    private long remaining;
    private long written;
    private boolean running;
    private boolean paused;
    private boolean producing;
    private DelayedCall next;

    /**
     * A producer for one transport.
     *
     * @param transport where the bytes go
     * @param clock schedules the next burst when the transport never pauses
     * @param completed runs once a run of known length has been written in full (not after
     *     {@link #stopProducing()} or a refused write)
     */
    BulkProducer(StreamTransport transport, ReactorTime clock, Runnable completed) {
        this.transport = transport;
        this.clock = clock;
        this.completed = completed;
    }

    private static ByteBuffer pattern() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        for (int i = 0; i < CHUNK; i++) {
            buffer.put(i, (byte) i);
        }
        return buffer.asReadOnlyBuffer();
    }

    /**
     * Starts a run and writes its first chunks now.
     *
     * @param count bytes to write, or {@link #UNLIMITED}
     * @throws IllegalStateException if a run is in progress
     */
    void start(long count) {
        if (running) {
            throw new IllegalStateException("a run is in progress on " + transport);
        }
        running = true;
        paused = false;
        remaining = count;
        produce();
    }

    /**
     * Bytes accepted by the transport, over every run.
     *
     * @return the count
     */
    long written() {
        return written;
    }

    /**
     * Whether a run is in progress (started, neither complete nor stopped).
     *
     * @return true while running
     */
    boolean isRunning() {
        return running;
    }

    @Override
    public void pauseProducing() {
        paused = true;
    }

    @Override
    public void resumeProducing() {
        paused = false;
        produce();
    }

    /** Ends the run: nothing more is written. */
    @Override
    public void stopProducing() {
        running = false;
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private void produce() {
        if (next != null) {
            next.cancel(); // a resume came before the scheduled burst (or this is that burst)
            next = null;
        }
        if (producing) {
            return; // a resume from inside a write: the loop below goes on by itself
        }
        producing = true;
        try {
            int chunks = 0;
            while (running && !paused) {
                if (remaining == 0) {
                    running = false;
                    completed.run(); // may start the next run, which this loop then writes
                    continue;
                }
                if (chunks++ == BURST) {
                    next = clock.callLater(Duration.ZERO, continuation);
                    return;
                }
                int length = (int) Math.min(remaining, CHUNK);
                chunk.limit(length).position(0);
                int accepted = transport.write(chunk);
                if (accepted <= 0) {
                    running = false; // the transport is closing
                    return;
                }
                written += accepted;
                if (remaining != UNLIMITED) {
                    remaining -= accepted;
                }
            }
        } finally {
            producing = false;
        }
    }
}
