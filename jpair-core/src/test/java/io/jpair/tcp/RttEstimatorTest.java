package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6298's estimator with Linux's bounds: the formulas of section 2 and the back-off of 5.5. */
class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void beforeAnySampleTheRtoIsOneSecond() {
        RttEstimator rtt = new RttEstimator();
        assertThat(rtt.rtoNanos()).isEqualTo(1000 * MS);
        assertThat(rtt.hasSample()).isFalse();
    }

    @Test
    void firstSampleSetsSrttToItAndRttvarToHalf() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100 * MS);
        assertThat(rtt.srttNanos()).isEqualTo(100 * MS);
        assertThat(rtt.rttVarNanos()).isEqualTo(50 * MS);
        assertThat(rtt.rtoNanos()).isEqualTo(300 * MS);
    }

    @Test
    void laterSamplesSmoothWithAnEighthAndAQuarter() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100 * MS);
        rtt.sample(200 * MS);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assertThat(rtt.rttVarNanos()).isEqualTo(62_500_000L);
        assertThat(rtt.srttNanos()).isEqualTo(112_500_000L);
        assertThat(rtt.rtoNanos()).isEqualTo(362_500_000L);
    }

    @Test
    void aSteadyShortPathIsFlooredAtTwoHundredMilliseconds() {
        RttEstimator rtt = new RttEstimator();
        for (int i = 0; i < 50; i++) {
            rtt.sample(MS);
        }
        assertThat(rtt.rtoNanos()).isEqualTo(200 * MS);
    }

    @Test
    void granularityKeepsTheRtoAboveSrttWhenTheVarianceVanishes() {
        RttEstimator rtt = new RttEstimator(1, 120_000 * MS, 1000 * MS, 10 * MS);
        for (int i = 0; i < 100; i++) {
            rtt.sample(500 * MS);
        }
        assertThat(rtt.rttVarNanos()).isLessThan(MS);
        assertThat(rtt.rtoNanos()).isEqualTo(510 * MS);
    }

    @Test
    void backOffDoublesUntilTheMaximum() {
        RttEstimator rtt = new RttEstimator();
        rtt.backOff();
        assertThat(rtt.rtoNanos()).isEqualTo(2000 * MS);
        for (int i = 0; i < 10; i++) {
            rtt.backOff();
        }
        assertThat(rtt.rtoNanos()).isEqualTo(120_000 * MS);
        assertThat(rtt.backOffs()).isEqualTo(11);
    }

    @Test
    void aSampleEndsTheBackOff() {
        RttEstimator rtt = new RttEstimator();
        rtt.backOff();
        rtt.backOff();
        rtt.sample(100 * MS);
        assertThat(rtt.rtoNanos()).isEqualTo(300 * MS);
        assertThat(rtt.backOffs()).isZero();
    }

    @Test
    void negativeSamplesAreIgnored() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(-5);
        assertThat(rtt.hasSample()).isFalse();
        assertThat(rtt.rtoNanos()).isEqualTo(1000 * MS);
    }

    @Test
    void resetReturnsToTheInitialRto() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(50 * MS);
        rtt.backOff();
        rtt.reset();
        assertThat(rtt.rtoNanos()).isEqualTo(1000 * MS);
        assertThat(rtt.hasSample()).isFalse();
        assertThat(rtt.backOffs()).isZero();
    }

    @Test
    void rejectsBoundsOutOfOrder() {
        assertThatThrownBy(() -> new RttEstimator(200 * MS, 100 * MS, 150 * MS, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
        assertThatThrownBy(() -> new RttEstimator(200 * MS, 1000 * MS, 100 * MS, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void rtoAlwaysStaysWithinItsBounds(@ForAll @Size(max = 60) List<@LongRange(min = -1, max = Long.MAX_VALUE) Long> samples,
            @ForAll @Size(max = 60) List<Boolean> backOffs) {
        RttEstimator rtt = new RttEstimator();
        for (int i = 0; i < Math.max(samples.size(), backOffs.size()); i++) {
            if (i < samples.size()) {
                rtt.sample(samples.get(i));
            }
            if (i < backOffs.size() && backOffs.get(i)) {
                rtt.backOff();
            }
            assertThat(rtt.rtoNanos()).isBetween(RttEstimator.DEFAULT_MIN_RTO_NANOS, RttEstimator.DEFAULT_MAX_RTO_NANOS);
        }
    }
}
