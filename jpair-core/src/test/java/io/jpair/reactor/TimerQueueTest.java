package io.jpair.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specification of {@link TimerQueue}, the timer heap every reactor and clock shares. */
class TimerQueueTest {
    private final TimerQueue timers = new TimerQueue();
    private final List<String> ran = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final ErrorHandler recordErrors = (source, error) -> errors.add(error);

    @Test
    void emptyQueueHasNoDeadline() {
        assertThat(timers.isEmpty()).isTrue();
        assertThat(timers.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nextDeadlineIsTheEarliestActiveCall() {
        DelayedCall first = timers.schedule(10, () -> { });
        timers.schedule(30, () -> { });
        timers.schedule(20, () -> { });
        assertThat(timers.nextDeadline()).isEqualTo(10);

        first.cancel();

        assertThat(timers.nextDeadline()).isEqualTo(20);
    }

    @Test
    void runDueRunsOnlyCallsWhoseDeadlineHasPassedAndCountsThem() {
        timers.schedule(10, () -> ran.add("10"));
        timers.schedule(20, () -> ran.add("20"));
        timers.schedule(30, () -> ran.add("30"));

        assertThat(timers.runDue(20, recordErrors)).isEqualTo(2);

        assertThat(ran).containsExactly("10", "20");
        assertThat(timers.nextDeadline()).isEqualTo(30);
    }

    @Test
    void runDueDoesNotCountCancelledCalls() {
        timers.schedule(10, () -> ran.add("kept"));
        timers.schedule(10, () -> ran.add("cancelled")).cancel();

        assertThat(timers.runDue(10, recordErrors)).isEqualTo(1);
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void runDueSendsTaskExceptionsToTheHandlerAndGoesOn() {
        RuntimeException boom = new RuntimeException("boom");
        timers.schedule(1, () -> {
            throw boom;
        });
        timers.schedule(2, () -> ran.add("after"));

        assertThat(timers.runDue(5, recordErrors)).isEqualTo(2);

        assertThat(errors).containsExactly(boom);
        assertThat(ran).containsExactly("after");
    }

    @Test
    void callsScheduledWhileRunningWaitForTheNextRunDue() {
        timers.schedule(0, () -> {
            ran.add("outer");
            timers.schedule(0, () -> ran.add("inner"));
        });

        timers.runDue(0, recordErrors);
        assertThat(ran).containsExactly("outer");

        timers.runDue(0, recordErrors);
        assertThat(ran).containsExactly("outer", "inner");
    }

    @Test
    void cancelFromAnotherThreadWinsOverALaterRun() throws InterruptedException {
        DelayedCall call = timers.schedule(0, () -> ran.add("ran"));
        boolean[] cancelled = new boolean[1];
        Thread other = Thread.ofPlatform().start(() -> cancelled[0] = call.cancel());
        other.join(2000);

        assertThat(cancelled[0]).isTrue();
        assertThat(timers.runDue(0, recordErrors)).isZero();
        assertThat(ran).isEmpty();
    }
}
