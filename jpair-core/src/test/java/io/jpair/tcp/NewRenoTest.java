package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** NewReno against the worked values of RFC 5681, RFC 3465, RFC 6582 and RFC 6928. */
class NewRenoTest {
    private static final int MSS = 1460;

    @Test
    void initialWindowIsRfc6928s() {
        assertThat(new NewReno(1460).cwnd()).isEqualTo(14_600);
        assertThat(new NewReno(536).cwnd()).isEqualTo(5_360);
        assertThat(new NewReno(9000).cwnd()).isEqualTo(18_000);
        assertThat(new NewReno(MSS).ssthresh()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void slowStartAddsTheAcknowledgedBytes() {
        NewReno reno = new NewReno(MSS);
        reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(14_600 + MSS);
    }

    @Test
    void slowStartCountsAStretchAckAsAtMostTwoSegments() {
        NewReno reno = new NewReno(MSS);
        reno.onAck(3 * MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(14_600 + 2 * MSS);
    }

    @Test
    void slowStartStopsAtSsthresh() {
        NewReno reno = new NewReno(MSS);
        reno.onRetransmitTimeout(40_000, 0);
        for (int i = 0; i < 14; i++) {
            reno.onAck(MSS, 0, 0);
        }
        assertThat(reno.cwnd()).isEqualTo(20_000);
        reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).as("congestion avoidance now").isEqualTo(20_000);
    }

    @Test
    void congestionAvoidanceAddsOneSegmentPerWindowOfAcknowledgedBytes() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(2 * 14_600, 0, true, 0);
        reno.exitRecovery(10 * MSS);
        long window = reno.cwnd();
        assertThat(window).isEqualTo(14_600);
        for (int i = 0; i < 9; i++) {
            reno.onAck(MSS, 0, 0);
        }
        assertThat(reno.cwnd()).isEqualTo(window);
        reno.onAck(MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(window + MSS);
    }

    @Test
    void thirdDuplicateAckHalvesTheFlightAndInflatesByThreeSegments() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 12345, false, 0);
        assertThat(reno.ssthresh()).isEqualTo(10_000);
        assertThat(reno.cwnd()).isEqualTo(10_000 + 3 * MSS);
        assertThat(reno.inRecovery()).isTrue();
        assertThat(reno.recoveryPoint()).isEqualTo(12345);
    }

    @Test
    void ssthreshIsAtLeastTwoSegments() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(1000, 0, false, 0);
        assertThat(reno.ssthresh()).isEqualTo(2 * MSS);
    }

    @Test
    void eachFurtherDuplicateAckInflatesByOneSegment() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 0, false, 0);
        reno.onDuplicateAck();
        reno.onDuplicateAck();
        assertThat(reno.cwnd()).isEqualTo(10_000 + 5 * MSS);
    }

    @Test
    void partialAckDeflatesByTheAcknowledgedBytesAndAddsBackOneSegment() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 0, false, 0);
        reno.onDuplicateAck();
        reno.onPartialAck(2 * MSS);
        assertThat(reno.cwnd()).isEqualTo(10_000 + 4 * MSS - 2 * MSS + MSS);
        reno.onPartialAck(100);
        assertThat(reno.cwnd()).isEqualTo(10_000 + 3 * MSS - 100);
        assertThat(reno.inRecovery()).isTrue();
    }

    @Test
    void fullAckSetsTheWindowToTheSmallerOfSsthreshAndFlightPlusOneSegment() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 0, false, 0);
        reno.exitRecovery(5_000);
        assertThat(reno.cwnd()).isEqualTo(5_000 + MSS);
        assertThat(reno.inRecovery()).isFalse();

        NewReno full = new NewReno(MSS);
        full.enterRecovery(20_000, 0, false, 0);
        full.exitRecovery(50_000);
        assertThat(full.cwnd()).isEqualTo(10_000);
    }

    @Test
    void sackRecoveryStartsAtSsthreshAndNeverInflates() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 0, true, 0);
        assertThat(reno.cwnd()).isEqualTo(10_000);
        reno.onDuplicateAck();
        reno.onPartialAck(3 * MSS);
        assertThat(reno.cwnd()).isEqualTo(10_000);
        reno.exitRecovery(0);
        assertThat(reno.cwnd()).isEqualTo(10_000);
    }

    @Test
    void recoveryPointOutlivesRecovery() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, -7, false, 0);
        reno.exitRecovery(0);
        assertThat(reno.recoveryPoint()).isEqualTo(-7);
    }

    @Test
    void timeoutDropsToOneSegmentAndHalvesTheFlightOnce() {
        NewReno reno = new NewReno(MSS);
        reno.enterRecovery(20_000, 0, false, 0);
        reno.onRetransmitTimeout(30_000, 0);
        assertThat(reno.cwnd()).isEqualTo(MSS);
        assertThat(reno.ssthresh()).isEqualTo(15_000);
        assertThat(reno.inRecovery()).isFalse();
        reno.onRetransmitTimeout(MSS, 0);
        assertThat(reno.ssthresh()).as("a backed-off retransmission keeps ssthresh").isEqualTo(15_000);
    }

    @Test
    void slowStartAfterATimeoutCountsOneSegmentPerAck() {
        NewReno reno = new NewReno(MSS);
        reno.onRetransmitTimeout(100_000, 0);
        reno.onAck(2 * MSS, 0, 0);
        assertThat(reno.cwnd()).isEqualTo(2 * MSS);
    }

    @Test
    void restartAfterIdleShrinksToTheInitialWindow() {
        NewReno reno = new NewReno(MSS);
        for (int i = 0; i < 40; i++) {
            reno.onAck(MSS, 0, 0);
        }
        reno.onIdleRestart(0);
        assertThat(reno.cwnd()).isEqualTo(14_600);
    }

    @Test
    void mssBeforeAnyTrafficRecomputesTheInitialWindow() {
        NewReno reno = new NewReno(536);
        reno.setMss(1460);
        assertThat(reno.cwnd()).isEqualTo(14_600);
    }

    @Test
    void windowNeverExceedsTheLargestAdvertisableOne() {
        NewReno reno = new NewReno(65_483);
        for (int i = 0; i < 100_000; i++) {
            reno.onAck(Integer.MAX_VALUE, 0, 0);
        }
        assertThat(reno.cwnd()).isEqualTo(CongestionControl.MAX_CWND);
    }

    @Test
    void rejectsAnMssBelowOne() {
        assertThatThrownBy(() -> new NewReno(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MSS");
    }

    @Test
    void factoryNamesItsAlgorithm() {
        assertThat(CongestionAlgorithm.NEW_RENO.create(MSS)).isInstanceOf(NewReno.class);
        assertThat(CongestionAlgorithm.CUBIC.create(MSS).algorithm()).isEqualTo(CongestionAlgorithm.CUBIC);
    }
}
