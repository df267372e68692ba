package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cipher warm-up: bounded by its datagram budget and by its time budget. */
class SealWarmUpTest {
    @Test
    void itStopsAfterItsDatagramBudget() {
        assertThat(SealWarmUp.run(Duration.ofSeconds(30), 300)).isEqualTo(300);
    }

    @Test
    void itStopsWhenItsTimeBudgetRunsOut() {
        long start = System.nanoTime();

        int done = SealWarmUp.run(Duration.ofMillis(50), Integer.MAX_VALUE);

        assertThat(done).isPositive().isLessThan(Integer.MAX_VALUE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aZeroTimeBudgetStillSealsNoMoreThanOneCheckInterval() {
        assertThat(SealWarmUp.run(Duration.ZERO, Integer.MAX_VALUE)).isLessThanOrEqualTo(1);
    }
}
