package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sliding replay window: fresh counters once, replays and too-old counters never. */
class ReplayWindowTest {
    private final ReplayWindow window = new ReplayWindow();

    @Test
    void anyCounterIsFreshInAnEmptyWindow() {
        assertThat(window.isFresh(0)).isTrue();
        assertThat(window.isFresh(-1L)).isTrue();
        assertThat(window.accept(123_456_789L)).isNull();
    }

    @Test
    void aCounterIsAcceptedOnlyOnce() {
        assertThat(window.accept(1000)).isNull();
        assertThat(window.accept(1000)).isEqualTo(TunnelDrop.REPLAYED);
    }

    @Test
    void outOfOrderCountersInsideTheWindowAreAcceptedOnceEach() {
        assertThat(window.accept(5000)).isNull();
        assertThat(window.accept(4990)).isNull();
        assertThat(window.accept(5000 - ReplayWindow.WINDOW + 1)).isNull();
        assertThat(window.accept(4999)).isNull();

        assertThat(window.accept(4990)).isEqualTo(TunnelDrop.REPLAYED);
        assertThat(window.accept(5000 - ReplayWindow.WINDOW + 1)).isEqualTo(TunnelDrop.REPLAYED);
        assertThat(window.highest()).isEqualTo(5000);
    }

    @Test
    void countersOlderThanTheWindowAreRefusedAsTooOld() {
        window.accept(5000);

        assertThat(window.accept(5000 - ReplayWindow.WINDOW)).isEqualTo(TunnelDrop.TOO_OLD);
        assertThat(window.accept(1)).isEqualTo(TunnelDrop.TOO_OLD);
    }

    @Test
    void checkDoesNotRecord() {
        assertThat(window.check(7)).isNull();
        assertThat(window.check(7)).isNull();
        assertThat(window.accept(7)).isNull();
        assertThat(window.check(7)).isEqualTo(TunnelDrop.REPLAYED);
    }

    @Test
    void slidingForgetsBitsThatLeftTheWindow() {
        for (long c = 0; c < 10_000; c++) {
            assertThat(window.accept(c)).as("counter %d", c).isNull();
        }
        // A jump of less than the ring keeps recent bits and clears the blocks it passes.
        assertThat(window.accept(10_500)).isNull();
        assertThat(window.accept(9_999)).isEqualTo(TunnelDrop.REPLAYED);
        assertThat(window.accept(10_200)).isNull();
        assertThat(window.accept(10_499)).isNull();
        // A jump further than the ring starts afresh.
        assertThat(window.accept(1_000_000)).isNull();
        assertThat(window.accept(1_000_000 - 64)).isNull();
        assertThat(window.accept(10_500)).isEqualTo(TunnelDrop.TOO_OLD);
    }

    @Test
    void everyCounterInARandomOrderIsAcceptedExactlyOnce() {
        java.util.Random random = new java.util.Random(42);
        long base = 1L << 40;
        int[] order = random.ints(0, 1000).distinct().limit(1000).toArray();
        for (int offset : order) {
            assertThat(window.accept(base + offset)).isNull();
        }
        for (int offset : order) {
            assertThat(window.accept(base + offset)).isEqualTo(TunnelDrop.REPLAYED);
        }
    }

    @Test
    void countersAreUnsigned() {
        assertThat(window.accept(Long.MAX_VALUE)).isNull();
        assertThat(window.accept(Long.MIN_VALUE)).as("2^63 is above 2^63 - 1").isNull();
        assertThat(window.accept(Long.MAX_VALUE)).isEqualTo(TunnelDrop.REPLAYED);
        assertThat(window.highest()).isEqualTo(Long.MIN_VALUE);
    }
}
