package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** CUBIC's curve, its Reno-friendly region and fast convergence (RFC 9438), on a clock moved by hand. */
class CubicTest {
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;
    private static final long RTT = 100 * MS;

    /** A cubic that lost at 100 segments and recovered to ssthresh (70 segments). */
    private static Cubic afterLossAtHundredSegments() {
        Cubic cubic = new Cubic(MSS);
        for (int i = 0; i < 90; i++) {
            cubic.onAck(MSS, 0, RTT);
        }
        assertThat(cubic.cwnd()).isEqualTo(100 * MSS);
        cubic.enterRecovery(100 * MSS, 0, true, 0);
        cubic.exitRecovery(0);
        return cubic;
    }

    /** Acknowledges one window per round trip from {@code from} to {@code to}, as a steady flow would. */
    private static long run(Cubic cubic, long from, long to) {
        long now = from;
        while (now < to) {
            long window = cubic.cwnd();
            for (long acked = 0; acked < window; acked += MSS) {
                cubic.onAck(MSS, now, RTT);
            }
            now += RTT;
        }
        return now;
    }

    @Test
    void lossReducesByBetaAndRemembersTheWindow() {
        Cubic cubic = afterLossAtHundredSegments();
        assertThat(cubic.ssthresh()).isEqualTo(70 * MSS);
        assertThat(cubic.cwnd()).isEqualTo(70 * MSS);
        assertThat(cubic.wMax()).isEqualTo(100 * MSS);
    }

    @Test
    void windowReturnsToTheLossWindowAfterK() {
        Cubic cubic = afterLossAtHundredSegments();
        double k = Math.cbrt(30 / Cubic.C);
        long kNanos = (long) (k * 1e9);
        run(cubic, 0, kNanos - RTT);
        assertThat((double) cubic.cwnd() / MSS).isCloseTo(100, within(3.0));
        assertThat(cubic.cwnd()).isLessThanOrEqualTo(100 * MSS);
    }

    @Test
    void windowProbesBeyondTheLossWindowConvexly() {
        Cubic cubic = afterLossAtHundredSegments();
        long k = (long) (Math.cbrt(30 / Cubic.C) * 1e9);
        long now = run(cubic, 0, k + 1000 * MS);
        long oneSecondPast = cubic.cwnd();
        run(cubic, now, k + 2000 * MS);
        long twoSecondsPast = cubic.cwnd();
        assertThat(oneSecondPast).isGreaterThan(100 * MSS);
        // C t^3: 0.4 segments after one second, 3.2 after two; growth accelerates
        assertThat(twoSecondsPast - oneSecondPast).isGreaterThan(oneSecondPast - 100 * MSS);
    }

    @Test
    void fastConvergenceLowersWmaxWhenLossComesBelowIt() {
        Cubic cubic = afterLossAtHundredSegments();
        cubic.enterRecovery(70 * MSS, 0, true, 0);
        assertThat(cubic.wMax()).isEqualTo((long) (70 * MSS * (1 + Cubic.BETA) / 2));
    }

    @Test
    void renoFriendlyRegionGrowsAtLeastAsFastAsReno() {
        Cubic cubic = afterLossAtHundredSegments();
        // Many round trips within a few milliseconds: the cubic curve is nearly flat there, Reno is not.
        long now = 0;
        for (int round = 0; round < 20; round++) {
            long window = cubic.cwnd();
            for (long acked = 0; acked < window; acked += MSS) {
                cubic.onAck(MSS, now, 0);
            }
            now += 100_000;
        }
        assertThat((double) cubic.cwnd() / MSS).isCloseTo(70 + 20 * Cubic.ALPHA, within(1.0));
    }

    @Test
    void slowStartAndTimeoutAreNewRenos() {
        Cubic cubic = new Cubic(MSS);
        assertThat(cubic.cwnd()).isEqualTo(10 * MSS);
        cubic.onAck(5 * MSS, 0, RTT);
        assertThat(cubic.cwnd()).isEqualTo(12 * MSS);
        cubic.onRetransmitTimeout(40 * MSS, 0);
        assertThat(cubic.cwnd()).isEqualTo(MSS);
        assertThat(cubic.ssthresh()).isEqualTo(28 * MSS);
    }

    @Property
    void windowNeverShrinksWithoutLoss(@ForAll @Size(min = 1, max = 400) List<@IntRange(min = 1, max = 64_000) Integer> acks,
            @ForAll @IntRange(min = 0, max = 50) int lossAt, @ForAll @IntRange(min = 0, max = 2_000_000) int stepNanos) {
        Cubic cubic = new Cubic(1448);
        long now = 0;
        long previous = cubic.cwnd();
        for (int i = 0; i < acks.size(); i++) {
            if (i == lossAt) {
                cubic.enterRecovery(cubic.cwnd(), 0, true, now);
                cubic.exitRecovery(0);
                previous = cubic.cwnd();
            }
            cubic.onAck(acks.get(i), now, 40 * MS);
            assertThat(cubic.cwnd()).isGreaterThanOrEqualTo(previous);
            previous = cubic.cwnd();
            now += stepNanos;
        }
    }

    @Property
    void anyEventSequenceKeepsTheWindowWithinBounds(@ForAll @Size(max = 300) List<@IntRange(min = 0, max = 6) Integer> events,
            @ForAll boolean cubicAlgorithm, @ForAll @IntRange(min = 1, max = 65_483) int mss) {
        CongestionControl cc = (cubicAlgorithm ? CongestionAlgorithm.CUBIC : CongestionAlgorithm.NEW_RENO).create(mss);
        long now = 0;
        for (int event : events) {
            now += 7 * MS;
            switch (event) {
                case 0 -> cc.onAck(Integer.MAX_VALUE, now, 10 * MS);
                case 1 -> cc.onAck(mss, now, 0);
                case 2 -> cc.enterRecovery(cc.cwnd(), 1, event % 2 == 0, now);
                case 3 -> cc.onDuplicateAck();
                case 4 -> cc.onPartialAck(3L * mss);
                case 5 -> cc.exitRecovery(mss);
                default -> cc.onRetransmitTimeout(Long.MAX_VALUE / 4, now);
            }
            assertThat(cc.cwnd()).isBetween((long) mss, CongestionControl.MAX_CWND);
            assertThat(cc.ssthresh()).isGreaterThanOrEqualTo(2L * mss);
        }
    }
}
