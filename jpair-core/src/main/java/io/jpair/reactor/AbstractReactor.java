package io.jpair.reactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every reactor shares: the reader/writer sets, timers, the queue of handed-off tasks, and
 * error accounting. Subclasses supply the clock, the readiness mechanism and the wake-up.
 */
public abstract class AbstractReactor implements Reactor {
    private static final Logger LOG = LoggerFactory.getLogger(Reactor.class);

    /** The watched readers, in registration order. */
    protected final Set<ReadDescriptor> readers = new LinkedHashSet<>();
    /** The watched writers, in registration order. */
    protected final Set<WriteDescriptor> writers = new LinkedHashSet<>();
    /** Scheduled calls. */
    protected final TimerQueue timers = new TimerQueue();
    private final ConcurrentLinkedQueue<Runnable> handedOff = new ConcurrentLinkedQueue<>();
    private final ErrorHandler errorHandler;
    private long errors;

    /**
     * Creates the shared state.
     *
     * @param errorHandler receives caught exceptions; {@code null} logs them at ERROR
     */
    protected AbstractReactor(ErrorHandler errorHandler) {
        this.errorHandler = errorHandler != null ? errorHandler : AbstractReactor::log;
    }

    private static void log(Selectable source, Throwable error) {
        LOG.error("Unhandled error in {}", source == null ? "scheduled call" : source.logPrefix(), error);
    }

    /**
     * Wakes the loop if it is blocked waiting; called after a task is handed off.
     */
    protected abstract void wakeUp();

    @Override
    public void callFromThread(Runnable task) {
        handedOff.add(Objects.requireNonNull(task, "task"));
        if (!inReactorThread()) {
            wakeUp();
        }
    }

    /**
     * Whether tasks wait in the hand-off queue.
     *
     * @return true if {@link #runHandedOff()} has work
     */
    protected boolean hasHandedOff() {
        return !handedOff.isEmpty();
    }

    /**
     * Runs the tasks handed off so far (not those they hand off in turn).
     *
     * @return how many ran
     */
    protected int runHandedOff() {
        int ran = 0;
        for (int n = handedOff.size(); n > 0; n--) {
            Runnable task = handedOff.poll();
            if (task == null) {
                break;
            }
            ran++;
            try {
                task.run();
            } catch (Throwable t) {
                handleError(null, t);
            }
        }
        return ran;
    }

    /**
     * Counts an exception and passes it to the error handler; never throws.
     *
     * @param source the selectable, or {@code null}
     * @param error the exception
     */
    protected void handleError(Selectable source, Throwable error) {
        errors++;
        try {
            errorHandler.onError(source, error);
        } catch (Throwable secondary) {
            LOG.error("error handler failed", secondary);
        }
    }

    /**
     * Runs {@code selectable.doRead()} and disconnects it if that throws.
     *
     * @param reader the reader
     */
    protected void dispatchRead(ReadDescriptor reader) {
        try {
            if (reader.fileno() < 0) {
                throw new ConnectionDone("fd closed while registered");
            }
            reader.doRead();
        } catch (Throwable t) {
            if (!(t instanceof ConnectionDone)) {
                handleError(reader, t);
            }
            disconnect(reader, t);
        }
    }

    /**
     * Runs {@code selectable.doWrite()} and disconnects it if that throws.
     *
     * @param writer the writer
     */
    protected void dispatchWrite(WriteDescriptor writer) {
        try {
            if (writer.fileno() < 0) {
                throw new ConnectionDone("fd closed while registered");
            }
            writer.doWrite();
        } catch (Throwable t) {
            if (!(t instanceof ConnectionDone)) {
                handleError(writer, t);
            }
            disconnect(writer, t);
        }
    }

    @Override
    public void disconnect(Selectable selectable, Throwable reason) {
        if (selectable instanceof ReadDescriptor reader) {
            removeReader(reader);
        }
        if (selectable instanceof WriteDescriptor writer) {
            removeWriter(writer);
        }
        try {
            selectable.connectionLost(reason);
        } catch (Throwable t) {
            handleError(selectable, t);
        }
    }

    @Override
    public DelayedCall callLater(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : saturatedNanos(delay);
        long now = nanoTime();
        long deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        return timers.schedule(deadline, Objects.requireNonNull(task, "task"));
    }

    private static long saturatedNanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Runs due timers.
     *
     * @return how many ran
     */
    protected int runTimers() {
        return timers.runDue(nanoTime(), this::handleError);
    }

    @Override
    public long errorCount() {
        return errors;
    }

    @Override
    public List<Selectable> removeAll() {
        Set<Selectable> all = new LinkedHashSet<>(readers);
        all.addAll(writers);
        for (ReadDescriptor reader : new ArrayList<>(readers)) {
            removeReader(reader);
        }
        for (WriteDescriptor writer : new ArrayList<>(writers)) {
            removeWriter(writer);
        }
        return new ArrayList<>(all);
    }

    @Override
    public Set<ReadDescriptor> getReaders() {
        return Set.copyOf(readers);
    }

    @Override
    public Set<WriteDescriptor> getWriters() {
        return Set.copyOf(writers);
    }
}
