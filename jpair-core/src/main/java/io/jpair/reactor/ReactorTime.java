package io.jpair.reactor;

import java.time.Duration;

/**
 * Scheduling by time (Twisted's {@code IReactorTime}).
 */
public interface ReactorTime {
    /**
     * The reactor's clock. Thread-safe.
     *
     * @return nanoseconds on a monotonic clock ({@link System#nanoTime()} for a real reactor)
     */
    long nanoTime();

    /**
     * Runs {@code task} on the reactor thread once {@code delay} has passed. A zero delay runs it
     * on the next reactor turn, never synchronously. An exception from the task goes to the
     * reactor's error handler; the loop goes on.
     *
     * <p>Reactor thread only for real reactors; use {@link ReactorThreads#callFromThread} from
     * elsewhere.
     *
     * @param delay how long from now; negative counts as zero
     * @param task what to run
     * @return a handle that can cancel it
     */
    DelayedCall callLater(Duration delay, Runnable task);
}
