package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Selectable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Specification of {@link ManualClock}, the deterministic clock (Twisted's {@code task.Clock}). */
class ManualClockTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> ran = new ArrayList<>();

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void startsAtTimeZero() {
        assertThat(clock.nanoTime()).isZero();
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void advanceMovesTimeForward() {
        clock.advance(ms(1500));

        assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
    }

    @Test
    void callsRunInDeadlineOrder() {
        clock.callLater(ms(30), () -> ran.add("30"));
        clock.callLater(ms(10), () -> ran.add("10"));
        clock.callLater(ms(20), () -> ran.add("20"));

        assertThat(clock.advance(ms(30))).isEqualTo(3);

        assertThat(ran).containsExactly("10", "20", "30");
    }

    @Test
    void callsWithEqualDeadlinesRunInSchedulingOrder() {
        for (int i = 0; i < 10; i++) {
            String name = "call" + i;
            clock.callLater(ms(5), () -> ran.add(name));
        }

        clock.advance(ms(5));

        assertThat(ran).containsExactly("call0", "call1", "call2", "call3", "call4", "call5", "call6", "call7",
            "call8", "call9");
    }

    @Test
    void callRunsOnlyOnceItsDeadlineIsReached() {
        clock.callLater(ms(1000), () -> ran.add("due"));

        clock.advance(ms(999));
        assertThat(ran).isEmpty();

        clock.advance(ms(1));
        assertThat(ran).containsExactly("due");
    }

    @Test
    void callSeesTheClockAtItsDeadlineWhenAdvancedPastIt() {
        List<Long> seen = new ArrayList<>();
        clock.callLater(ms(10), () -> seen.add(clock.nanoTime()));

        clock.advance(ms(25));

        // Like Twisted's Clock: time jumps first, then everything due runs.
        assertThat(seen).containsExactly(25_000_000L);
    }

    @Test
    void zeroDelayCallScheduledBeforeAdvanceRunsOnAdvanceZero() {
        clock.callLater(Duration.ZERO, () -> ran.add("now"));

        assertThat(ran).isEmpty();
        clock.advance(Duration.ZERO);

        assertThat(ran).containsExactly("now");
    }

    @Test
    void zeroDelayCallScheduledDuringRunWaitsForNextAdvance() {
        clock.callLater(Duration.ZERO, () -> {
            ran.add("outer");
            clock.callLater(Duration.ZERO, () -> ran.add("inner"));
        });

        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("outer");
        assertThat(clock.hasPendingCalls()).isTrue();

        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("outer", "inner");
    }

    @Test
    void cancelBeforeRunReturnsTrueAndTheCallNeverRuns() {
        DelayedCall call = clock.callLater(ms(10), () -> ran.add("cancelled"));

        assertThat(call.cancel()).isTrue();
        clock.advance(ms(20));

        assertThat(ran).isEmpty();
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void cancelAfterRunReturnsFalse() {
        DelayedCall call = clock.callLater(ms(10), () -> ran.add("ran"));
        clock.advance(ms(10));

        assertThat(call.cancel()).isFalse();
        assertThat(ran).containsExactly("ran");
    }

    @Test
    void cancelTwiceReturnsFalseTheSecondTime() {
        DelayedCall call = clock.callLater(ms(10), () -> ran.add("cancelled"));

        assertThat(call.cancel()).isTrue();
        assertThat(call.cancel()).isFalse();
    }

    @Test
    void callIsActiveUntilItRuns() {
        DelayedCall call = clock.callLater(ms(10), () -> ran.add("ran"));
        assertThat(call.isActive()).isTrue();

        clock.advance(ms(10));

        assertThat(call.isActive()).isFalse();
    }

    @Test
    void callIsInactiveOnceCancelled() {
        DelayedCall call = clock.callLater(ms(10), () -> ran.add("ran"));

        call.cancel();

        assertThat(call.isActive()).isFalse();
    }

    @Test
    void callCanCancelALaterCallDueInTheSameAdvance() {
        DelayedCall[] later = new DelayedCall[1];
        clock.callLater(ms(1), () -> later[0].cancel());
        later[0] = clock.callLater(ms(2), () -> ran.add("later"));

        assertThat(clock.advance(ms(5))).isEqualTo(1);

        assertThat(ran).isEmpty();
    }

    @Test
    void callTimeIsItsDeadlineOnTheClock() {
        clock.advance(ms(100));

        DelayedCall call = clock.callLater(ms(50), () -> { });

        assertThat(call.time()).isEqualTo(150_000_000L);
    }

    @Test
    void pumpAdvancesByEachAmountInTurn() {
        List<Long> seen = new ArrayList<>();
        clock.callLater(ms(1), () -> seen.add(clock.nanoTime()));
        clock.callLater(ms(3), () -> seen.add(clock.nanoTime()));

        int count = clock.pump(ms(2), ms(2), ms(2));

        assertThat(count).isEqualTo(2);
        assertThat(seen).containsExactly(2_000_000L, 4_000_000L);
        assertThat(clock.nanoTime()).isEqualTo(6_000_000L);
    }

    @Test
    void negativeDelayIsTreatedAsZero() {
        clock.advance(ms(10));
        DelayedCall call = clock.callLater(ms(-5), () -> ran.add("now"));

        assertThat(call.time()).isEqualTo(clock.nanoTime());
        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("now");
    }

    @Test
    void advanceRejectsNegativeAmounts() {
        assertThatThrownBy(() -> clock.advance(ms(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void exceptionFromACallPropagatesOutOfAdvanceByDefault() {
        IllegalStateException boom = new IllegalStateException("boom");
        clock.callLater(ms(1), () -> {
            throw boom;
        });

        assertThatThrownBy(() -> clock.advance(ms(1))).isSameAs(boom);
    }

    @Test
    void errorFromACallPropagatesAsIs() {
        Error fatal = new AssertionError("fatal");
        clock.callLater(ms(1), () -> {
            throw fatal;
        });

        assertThatThrownBy(() -> clock.advance(ms(1))).isSameAs(fatal);
    }

    @Test
    void callsAfterAFailingOneStayScheduledAndRunOnTheNextAdvance() {
        clock.callLater(ms(1), () -> {
            throw new IllegalStateException("boom");
        });
        clock.callLater(ms(2), () -> ran.add("after"));

        assertThatThrownBy(() -> clock.advance(ms(2))).isInstanceOf(IllegalStateException.class);
        assertThat(ran).isEmpty();
        assertThat(clock.hasPendingCalls()).isTrue();

        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("after");
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void exceptionFromACallGoesToTheErrorHandlerWhenGiven() {
        List<Throwable> errors = new ArrayList<>();
        List<Selectable> sources = new ArrayList<>();
        ManualClock handled = new ManualClock((source, error) -> {
            sources.add(source);
            errors.add(error);
        });
        IllegalStateException boom = new IllegalStateException("boom");
        handled.callLater(ms(1), () -> {
            throw boom;
        });
        handled.callLater(ms(1), () -> ran.add("after"));

        assertThat(handled.advance(ms(1))).isEqualTo(2);

        assertThat(errors).containsExactly(boom);
        assertThat(sources).containsExactly((Selectable) null);
        assertThat(ran).containsExactly("after");
    }

    @Test
    void hasPendingCallsIgnoresCancelledCalls() {
        DelayedCall call = clock.callLater(ms(10), () -> { });
        assertThat(clock.hasPendingCalls()).isTrue();

        call.cancel();

        assertThat(clock.hasPendingCalls()).isFalse();
    }
}
