package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The receiver's SACK blocks: RFC 2018 section 4's ordering, merging, and the option's bytes. */
class SackBlocksTest {
    @Test
    void theFirstBlockHoldsTheNewestSegment() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(200, 300);
        blocks.segmentReceived(500, 600);
        assertThat(blocks.count()).isEqualTo(2);
        assertThat(blocks.start(0)).isEqualTo(500);
        assertThat(blocks.start(1)).isEqualTo(200);
    }

    @Test
    void aSegmentJoiningABlockMovesTheMergedBlockFirst() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(200, 300);
        blocks.segmentReceived(500, 600);
        blocks.segmentReceived(300, 400);
        assertThat(blocks.start(0)).isEqualTo(200);
        assertThat(blocks.end(0)).isEqualTo(400);
        assertThat(blocks.start(1)).isEqualTo(500);
    }

    @Test
    void aSegmentBridgingTwoBlocksMergesThemAll() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(200, 300);
        blocks.segmentReceived(400, 500);
        blocks.segmentReceived(700, 800);
        blocks.segmentReceived(300, 400);
        assertThat(blocks.count()).isEqualTo(2);
        assertThat(blocks.start(0)).isEqualTo(200);
        assertThat(blocks.end(0)).isEqualTo(500);
        assertThat(blocks.start(1)).isEqualTo(700);
    }

    @Test
    void keepsTheFourMostRecentRanges() {
        SackBlocks blocks = new SackBlocks();
        for (int i = 0; i < 6; i++) {
            blocks.segmentReceived(100 * i * 2, 100 * i * 2 + 50);
        }
        assertThat(blocks.count()).isEqualTo(SackBlocks.MAX_BLOCKS);
        assertThat(blocks.start(0)).isEqualTo(1000);
        assertThat(blocks.start(3)).isEqualTo(400);
    }

    @Test
    void advancingRcvNxtDropsAndCutsBlocks() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(200, 300);
        blocks.segmentReceived(500, 600);
        blocks.advance(550);
        assertThat(blocks.count()).isEqualTo(1);
        assertThat(blocks.start(0)).isEqualTo(550);
        blocks.advance(600);
        assertThat(blocks.count()).isZero();
    }

    @Test
    void encodesKindLengthAndEdgesInNetworkOrder() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(0x01020304, 0x01020404);
        blocks.segmentReceived(0x11223344, 0x11223444);
        ByteBuffer options = ByteBuffer.allocate(40);
        assertThat(blocks.encode(options, 2, 3)).isEqualTo(18);
        assertThat(options.get(2)).isEqualTo((byte) 5);
        assertThat(options.get(3)).isEqualTo((byte) 18);
        assertThat(options.getInt(4)).isEqualTo(0x11223344);
        assertThat(options.getInt(8)).isEqualTo(0x11223444);
        assertThat(options.getInt(12)).isEqualTo(0x01020304);
        assertThat(options.position()).isZero();
    }

    @Test
    void encodesNoMoreBlocksThanFitAndNothingWhenEmpty() {
        SackBlocks blocks = new SackBlocks();
        ByteBuffer options = ByteBuffer.allocate(40);
        assertThat(blocks.encode(options, 0, 4)).isZero();
        for (int i = 0; i < 4; i++) {
            blocks.segmentReceived(i * 100, i * 100 + 10);
        }
        assertThat(blocks.encode(options, 0, 3)).isEqualTo(26);
    }

    @Test
    void worksAcrossTheSequenceWrap() {
        SackBlocks blocks = new SackBlocks();
        blocks.segmentReceived(-10, 10);
        blocks.segmentReceived(10, 30);
        assertThat(blocks.count()).isEqualTo(1);
        assertThat(blocks.start(0)).isEqualTo(-10);
        assertThat(blocks.end(0)).isEqualTo(30);
        blocks.advance(0);
        assertThat(blocks.start(0)).isZero();
    }

    @Property
    void blocksAreDisjointNonEmptyAndTheFirstHoldsTheLastSegment(@ForAll int base,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 1000) Integer> starts,
            @ForAll @IntRange(min = 1, max = 40) int length) {
        SackBlocks blocks = new SackBlocks();
        boolean[] received = new boolean[1100];
        for (int s : starts) {
            blocks.segmentReceived(base + s, base + s + length);
            for (int x = s; x < s + length; x++) {
                received[x] = true;
            }
            assertThat(blocks.start(0) - (base + s)).isLessThanOrEqualTo(0);
            assertThat(blocks.end(0) - (base + s + length)).isGreaterThanOrEqualTo(0);
            for (int i = 0; i < blocks.count(); i++) {
                assertThat(blocks.end(i) - blocks.start(i)).isPositive();
                for (int x = blocks.start(i) - base; x < blocks.end(i) - base; x++) {
                    assertThat(received[x]).as("reported byte %d was received", x).isTrue();
                }
                for (int j = i + 1; j < blocks.count(); j++) {
                    boolean apart = blocks.end(i) - blocks.start(j) < 0 || blocks.end(j) - blocks.start(i) < 0;
                    assertThat(apart).as("blocks %d and %d neither overlap nor touch", i, j).isTrue();
                }
            }
        }
    }
}
