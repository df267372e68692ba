package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The sender's SACK scoreboard: RFC 2018 section 5 bookkeeping and RFC 6675's IsLost, NextSeg holes and SetPipe. */
class SackScoreboardTest {
    private static final int MSS = 100;
    private static final int UNA = 1000;
    private static final int NXT = 2000;

    @Test
    void recordsABlockAndCountsItsBytes() {
        SackScoreboard board = new SackScoreboard();
        assertThat(board.update(UNA, NXT, 1200, 1300)).isTrue();
        assertThat(board.isSacked(1200)).isTrue();
        assertThat(board.isSacked(1299)).isTrue();
        assertThat(board.isSacked(1300)).isFalse();
        assertThat(board.isSacked(1199)).isFalse();
        assertThat(board.sackedBytes()).isEqualTo(100);
    }

    @Test
    void overlappingAndAdjacentBlocksMerge() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1200, 1300);
        board.update(UNA, NXT, 1400, 1500);
        board.update(UNA, NXT, 1300, 1400);
        board.update(UNA, NXT, 1250, 1450);
        assertThat(board.ranges()).isEqualTo(1);
        assertThat(board.rangeStart(0)).isEqualTo(1200);
        assertThat(board.rangeEnd(0)).isEqualTo(1500);
        assertThat(board.sackedBytes()).isEqualTo(300);
    }

    @Test
    void refusesBlocksOutsideTheSendWindowOrEmpty() {
        SackScoreboard board = new SackScoreboard();
        assertThat(board.update(UNA, NXT, 1900, 2100)).isFalse();
        assertThat(board.update(UNA, NXT, 500, 900)).isFalse();
        assertThat(board.update(UNA, NXT, 1500, 1500)).isFalse();
        assertThat(board.update(UNA, NXT, 1600, 1500)).isFalse();
        assertThat(board.ranges()).isZero();
    }

    @Test
    void aBlockReachingBelowSndUnaIsCutThere() {
        SackScoreboard board = new SackScoreboard();
        assertThat(board.update(UNA, NXT, 900, 1100)).isTrue();
        assertThat(board.rangeStart(0)).isEqualTo(UNA);
        assertThat(board.sackedBytes()).isEqualTo(100);
    }

    @Test
    void cumulativeAckDropsAndTrimsRanges() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1100, 1200);
        board.update(UNA, NXT, 1300, 1400);
        board.acknowledge(1350);
        assertThat(board.ranges()).isEqualTo(1);
        assertThat(board.rangeStart(0)).isEqualTo(1350);
        assertThat(board.sackedBytes()).isEqualTo(50);
        board.acknowledge(1400);
        assertThat(board.ranges()).isZero();
        assertThat(board.sackedBytes()).isZero();
    }

    @Test
    void reorderingWithoutLossLeavesNothingInFlightOnceTheHoleFills() {
        // gVisor #14092: SACKed then cumulatively acknowledged data must leave the count.
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, 1300, 1100, 1300);
        assertThat(board.pipe(1300, UNA, MSS)).isEqualTo(100);
        board.acknowledge(1300);
        assertThat(board.pipe(1300, UNA, MSS)).isZero();
        assertThat(board.sackedBytes()).isZero();
    }

    @Test
    void holesAreFoundInOrderBelowTheHighestSackedByte() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1100, 1200);
        board.update(UNA, NXT, 1300, 1400);
        assertThat(board.nextHole(UNA)).isTrue();
        assertThat(board.holeStart()).isEqualTo(UNA);
        assertThat(board.holeEnd()).isEqualTo(1100);
        assertThat(board.nextHole(1150)).isTrue();
        assertThat(board.holeStart()).isEqualTo(1200);
        assertThat(board.holeEnd()).isEqualTo(1300);
        assertThat(board.nextHole(1400)).as("above the highest SACK is not a hole").isFalse();
    }

    @Test
    void aHoleIsLostWithThreeRangesAboveIt() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1100, 1110);
        board.update(UNA, NXT, 1200, 1210);
        assertThat(board.isLost(UNA, MSS)).isFalse();
        board.update(UNA, NXT, 1300, 1310);
        assertThat(board.isLost(UNA, MSS)).isTrue();
        assertThat(board.isLost(1150, MSS)).isFalse();
    }

    @Test
    void aHoleIsLostWithMoreThanTwoSegmentsSackedAboveIt() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1100, 1300);
        assertThat(board.isLost(UNA, MSS)).as("exactly (DupThresh - 1) * MSS").isFalse();
        board.update(UNA, NXT, 1300, 1301);
        assertThat(board.isLost(UNA, MSS)).isTrue();
    }

    @Test
    void pipeCountsUnsackedUnlostBytesAndRetransmissions() {
        SackScoreboard board = new SackScoreboard();
        // 1000-1100 hole (lost: 300 bytes SACKed above), 1100-1400 SACKed, 1400-2000 in flight
        board.update(UNA, NXT, 1100, 1400);
        assertThat(board.pipe(NXT, UNA, MSS)).isEqualTo(600);
        assertThat(board.pipe(NXT, 1100, MSS)).as("the lost hole was retransmitted").isEqualTo(700);
    }

    @Test
    void pipeWithoutSacksIsTheFlight() {
        SackScoreboard board = new SackScoreboard();
        board.acknowledge(UNA);
        board.update(UNA, NXT, 0, 0);
        assertThat(board.pipe(NXT, UNA, MSS)).isEqualTo(NXT - UNA);
    }

    @Test
    void fullBoardForgetsTheRangeFarthestFromSndUna() {
        SackScoreboard board = new SackScoreboard(2);
        board.update(UNA, NXT, 1100, 1110);
        board.update(UNA, NXT, 1300, 1310);
        board.update(UNA, NXT, 1200, 1210);
        assertThat(board.ranges()).isEqualTo(2);
        assertThat(board.isSacked(1300)).isFalse();
        assertThat(board.isSacked(1200)).isTrue();
        board.update(UNA, NXT, 1500, 1510);
        assertThat(board.isSacked(1500)).isFalse();
        assertThat(board.forgottenRanges()).isEqualTo(2);
        assertThat(board.sackedBytes()).isEqualTo(20);
    }

    @Test
    void clearForgetsEverythingAfterATimeout() {
        SackScoreboard board = new SackScoreboard();
        board.update(UNA, NXT, 1100, 1200);
        board.clear();
        assertThat(board.isSacked(1100)).isFalse();
        assertThat(board.nextHole(UNA)).isFalse();
    }

    @Test
    void worksAcrossTheSequenceWrap() {
        SackScoreboard board = new SackScoreboard();
        int una = -100;
        board.update(una, 200, -50, 50);
        assertThat(board.isSacked(0)).isTrue();
        assertThat(board.isSacked(-51)).isFalse();
        assertThat(board.sackedBytes()).isEqualTo(100);
        assertThat(board.nextHole(una)).isTrue();
        assertThat(board.holeEnd()).isEqualTo(-50);
    }

    @Test
    void updatesAllocateNothing() {
        SackScoreboard board = new SackScoreboard();
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                int una = i * 1000;
                board.update(una, una + 64_000, una + 2000, una + 3000);
                board.update(una, una + 64_000, una + 5000 + (i & 7) * 100, una + 5050 + (i & 7) * 100);
                board.nextHole(una);
                board.isLost(una, 1448);
                board.pipe(una + 64_000, una, 1448);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).isLessThan(1024);
            }
        }
    }

    /** A window of 256 bytes at a random place in sequence space, against a bitmap model. */
    @Property
    void neverReportsAByteBothSackedAndAHole(@ForAll int una,
            @ForAll @Size(max = 40) List<@IntRange(min = -20, max = 280) Integer> edges,
            @ForAll @IntRange(min = 1, max = 64) int capacity, @ForAll @IntRange(min = 0, max = 256) int rxt) {
        int window = 256;
        boolean[] model = new boolean[window];
        SackScoreboard board = new SackScoreboard(capacity);
        board.acknowledge(una);
        for (int i = 0; i + 1 < edges.size(); i += 2) {
            int a = edges.get(i);
            int b = edges.get(i + 1);
            if (board.update(una, una + window, una + a, una + b)) {
                for (int x = Math.max(a, 0); x < b; x++) {
                    model[x] = true;
                }
            }
        }
        long sackedCount = 0;
        boolean[] hole = new boolean[window];
        int from = una;
        while (board.nextHole(from)) {
            assertThat(board.holeEnd() - board.holeStart()).isPositive();
            for (int s = board.holeStart(); s != board.holeEnd(); s++) {
                hole[s - una] = true;
            }
            from = board.holeEnd();
        }
        for (int x = 0; x < window; x++) {
            boolean sacked = board.isSacked(una + x);
            if (sacked) {
                sackedCount++;
                assertThat(model[x]).as("byte %d reported SACKed but never was", x).isTrue();
            }
            assertThat(sacked && hole[x]).as("byte %d both SACKed and a hole", x).isFalse();
            if (capacity >= 64) {
                assertThat(sacked).isEqualTo(model[x]);
            }
        }
        assertThat(board.sackedBytes()).isEqualTo(sackedCount);
        assertThat(board.pipe(una + window, una + rxt, 10)).isBetween(0L, (long) window - sackedCount + rxt);
    }
}
