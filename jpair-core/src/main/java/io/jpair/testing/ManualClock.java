package io.jpair.testing;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ErrorHandler;
import io.jpair.reactor.ReactorTime;
import io.jpair.reactor.TimerQueue;
import java.time.Duration;
import java.util.Objects;

/**
 * A clock that moves only when told to (Twisted's {@code twisted.internet.task.Clock}): calls
 * scheduled with {@link #callLater} run inside {@link #advance}, deterministically.
 *
 * <p>Single-threaded: use it from the test thread. Exceptions from scheduled calls propagate out
 * of {@link #advance} unless an {@link ErrorHandler} is given.
 */
public final class ManualClock implements ReactorTime {
    private final TimerQueue timers = new TimerQueue();
    private final ErrorHandler errors;
    private long now;

    /** A clock at time 0 whose scheduled calls' exceptions propagate. */
    public ManualClock() {
        this(null);
    }

    /**
     * A clock at time 0.
     *
     * @param errors receives exceptions from scheduled calls; {@code null} to rethrow them
     */
    public ManualClock(ErrorHandler errors) {
        this.errors = errors != null ? errors : ManualClock::rethrow;
    }

    private static void rethrow(Object source, Throwable error) {
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        throw new IllegalStateException("scheduled call failed", error);
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public DelayedCall callLater(Duration delay, Runnable task) {
        long nanos = delay.isNegative() ? 0 : delay.toNanos();
        return timers.schedule(now + nanos, Objects.requireNonNull(task, "task"));
    }

    /**
     * Moves time forward and runs every call that comes due, including zero-delay calls scheduled
     * before this call.
     *
     * @param amount how far; {@link Duration#ZERO} runs what is due now
     * @return how many calls ran
     */
    public int advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time cannot go backwards: " + amount);
        }
        now += amount.toNanos();
        return timers.runDue(now, errors);
    }

    /**
     * Advances by each amount in turn (Twisted's {@code pump}).
     *
     * @param amounts the steps
     * @return how many calls ran in all
     */
    public int pump(Duration... amounts) {
        int ran = 0;
        for (Duration amount : amounts) {
            ran += advance(amount);
        }
        return ran;
    }

    /**
     * When the next scheduled call is due, so a simulation can jump straight to it.
     *
     * @return the deadline on {@link #nanoTime()}'s clock, or {@link Long#MAX_VALUE} when none
     */
    public long nextDeadline() {
        return timers.nextDeadline();
    }

    /**
     * Whether calls are still scheduled.
     *
     * @return true if one is active
     */
    public boolean hasPendingCalls() {
        return !timers.isEmpty();
    }
}
