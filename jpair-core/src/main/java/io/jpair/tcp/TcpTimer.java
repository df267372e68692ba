package io.jpair.tcp;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ReactorTime;
import java.time.Duration;

/**
 * One of a connection's timers, on the reactor clock, re-armed in place: moving the deadline
 * later (the retransmission timer on every ACK) schedules nothing; the pending reactor call, when
 * it fires early, re-schedules itself for the deadline. So a timer costs one reactor call per
 * expiry period, not one per segment.
 */
final class TcpTimer implements Runnable {
    private final ReactorTime clock;
    private final Runnable action;
    private DelayedCall call;
    private long deadline;
    private boolean armed;

    TcpTimer(ReactorTime clock, Runnable action) {
        this.clock = clock;
        this.action = action;
    }

    /** Fires {@code delayNanos} from now, replacing any earlier deadline. */
    void arm(long delayNanos) {
        long now = clock.nanoTime();
        deadline = now + delayNanos;
        armed = true;
        if (call != null && call.isActive()) {
            if (call.time() <= deadline) {
                return;
            }
            call.cancel();
        }
        call = clock.callLater(Duration.ofNanos(delayNanos), this);
    }

    /** Arms it unless it is armed already. */
    void armIfIdle(long delayNanos) {
        if (!armed) {
            arm(delayNanos);
        }
    }

    boolean isArmed() {
        return armed;
    }

    /** Disarms it (the pending reactor call, if any, then does nothing). */
    void disarm() {
        armed = false;
    }

    /** Disarms it and cancels the reactor call (the connection is gone). */
    void cancel() {
        armed = false;
        if (call != null) {
            call.cancel();
            call = null;
        }
    }

    @Override
    public void run() {
        call = null;
        if (!armed) {
            return;
        }
        long now = clock.nanoTime();
        if (now < deadline) {
            call = clock.callLater(Duration.ofNanos(deadline - now), this);
            return;
        }
        armed = false;
        action.run();
    }
}
