package io.jpair.host;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ReactorTime;
import java.time.Duration;

/**
 * A bounded series of address announcements on the reactor clock: the first at once, then
 * {@code count - 1} more spaced {@code interval} apart. Starting a series again (the link came up
 * again) cancels the one in progress, so a flapping link never stacks series.
 *
 * <p>Reactor thread only.
 */
final class Announcements {
    private final ReactorTime clock;
    private final Runnable announce;
    private final int count;
    private final Duration interval;
    private DelayedCall next;
    private int remaining;

    /**
     * A series that runs {@code announce} {@code count} times.
     *
     * @param clock the reactor's clock
     * @param announce sends one round of announcements (gratuitous ARP, unsolicited NA)
     * @param count announcements per series, at least 1
     * @param interval time between two of them
     */
    Announcements(ReactorTime clock, Runnable announce, int count, Duration interval) {
        if (count < 1) {
            throw new IllegalArgumentException("announcement count must be at least 1, not " + count);
        }
        this.clock = clock;
        this.announce = announce;
        this.count = count;
        this.interval = interval;
    }

    /** Starts a new series, cancelling the one in progress. */
    void start() {
        stop();
        remaining = count;
        fire();
    }

    /** Cancels the series in progress (the link went down, or the port stopped). */
    void stop() {
        if (next != null) {
            next.cancel();
            next = null;
        }
        remaining = 0;
    }

    private void fire() {
        next = null;
        remaining--;
        announce.run();
        if (remaining > 0) {
            next = clock.callLater(interval, this::fire);
        }
    }
}
