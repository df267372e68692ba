package io.jpair.testing;

import io.jpair.reactor.AbstractReactor;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ErrorHandler;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.reactor.WriteDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic in-memory reactor for tests (Twisted's {@code MemoryReactorClock} plus the
 * {@code FSSetClock} of {@code test_tuntap.py}): it records readers and writers without touching
 * the OS, keeps time on a {@link ManualClock}, and runs callbacks only when the test says so.
 *
 * <pre>{@code
 * MemoryReactor reactor = new MemoryReactor();
 * port.startListening();                 // adds the port as a reader
 * reactor.fireReadable();                // calls doRead() on every reader, as epoll would
 * port.stopListening();
 * reactor.advance(Duration.ZERO);        // runs the zero-delay close
 * }</pre>
 *
 * <p>Single-threaded, except {@link #callFromThread}, which may be called from any thread; the
 * tasks run in {@link #runOnce}/{@link #advance} on the test thread. Caught exceptions are
 * recorded in {@link #errors()}.
 */
public final class MemoryReactor extends AbstractReactor {
    private final List<Throwable> errors;
    private final ManualClock clock;
    private boolean running;

    /** A reactor at time 0 that records caught exceptions. */
    public MemoryReactor() {
        this(new ArrayList<>());
    }

    private MemoryReactor(List<Throwable> errors) {
        this(errors, (source, error) -> errors.add(error));
    }

    private MemoryReactor(List<Throwable> errors, ErrorHandler handler) {
        super(handler);
        this.errors = errors;
        this.clock = new ManualClock(this::handleError);
    }

    /**
     * Exceptions the reactor caught from callbacks, in order.
     *
     * @return the live list
     */
    public List<Throwable> errors() {
        return errors;
    }

    /**
     * The clock.
     *
     * @return the manual clock this reactor keeps time with
     */
    public ManualClock clock() {
        return clock;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public DelayedCall callLater(Duration delay, Runnable task) {
        return clock.callLater(delay, task);
    }

    /**
     * Moves time forward, running due calls, then tasks handed off from other threads.
     *
     * @param amount how far
     * @return how many callbacks ran
     */
    public int advance(Duration amount) {
        return clock.advance(amount) + runHandedOff();
    }

    /**
     * Calls {@code doRead()} on every registered reader, as a ready epoll set would; a reader that
     * throws is disconnected.
     *
     * @return how many readers ran
     */
    public int fireReadable() {
        int ran = 0;
        for (ReadDescriptor reader : new ArrayList<>(readers)) {
            if (readers.contains(reader)) {
                dispatchRead(reader);
                ran++;
            }
        }
        return ran;
    }

    /**
     * Calls {@code doWrite()} on every registered writer; a writer that throws is disconnected.
     *
     * @return how many writers ran
     */
    public int fireWritable() {
        int ran = 0;
        for (WriteDescriptor writer : new ArrayList<>(writers)) {
            if (writers.contains(writer)) {
                dispatchWrite(writer);
                ran++;
            }
        }
        return ran;
    }

    @Override
    public void addReader(ReadDescriptor reader) {
        readers.add(reader);
    }

    @Override
    public void addWriter(WriteDescriptor writer) {
        writers.add(writer);
    }

    @Override
    public void removeReader(ReadDescriptor reader) {
        readers.remove(reader);
    }

    @Override
    public void removeWriter(WriteDescriptor writer) {
        writers.remove(writer);
    }

    @Override
    public boolean inReactorThread() {
        return true;
    }

    @Override
    protected void wakeUp() {
        // Nothing blocks: handed-off tasks run in the next runOnce/advance.
    }

    /**
     * Unsupported: a memory reactor is driven step by step.
     *
     * @throws UnsupportedOperationException always; use {@link #runOnce}, {@link #advance},
     *     {@link #fireReadable()}
     */
    @Override
    public void run() {
        throw new UnsupportedOperationException("MemoryReactor is driven by runOnce(), advance() and fireReadable()");
    }

    /**
     * One turn: readable readers (all of them), due calls, handed-off tasks.
     *
     * @param timeoutNanos ignored: time moves only with {@link #advance}
     * @return how many callbacks ran
     */
    @Override
    public int runOnce(long timeoutNanos) {
        return fireReadable() + advance(Duration.ZERO);
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
