package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs of datagrams for one GSO send: the kernel's segment rule, and its limits. */
class DatagramRunTest {
    private final DatagramRun run = new DatagramRun();

    private boolean add(int size) {
        if (!run.reserve(size)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            run.array()[run.writeOffset() + i] = (byte) size;
        }
        run.commit(size);
        return true;
    }

    @Test
    void equalDatagramsAndAShorterLastOneMakeOneRun() {
        assertThat(add(1428)).isTrue();
        assertThat(add(1428)).isTrue();
        assertThat(add(600)).isTrue();

        assertThat(run.count()).isEqualTo(3);
        assertThat(run.segmentSize()).isEqualTo(1428);
        assertThat(run.payload().remaining()).isEqualTo(1428 + 1428 + 600);
        assertThat(run.payload().get(1428 * 2)).isEqualTo((byte) 600);
    }

    @Test
    void aShorterDatagramEndsTheRun() {
        add(1428);
        add(600);

        assertThat(run.reserve(600)).isFalse();
        assertThat(run.reserve(1)).isFalse();
    }

    @Test
    void aLongerDatagramCannotJoin() {
        add(600);

        assertThat(run.reserve(601)).isFalse();
        assertThat(run.reserve(600)).isTrue();
    }

    @Test
    void aRunHoldsAtMostSixtyFourDatagrams() {
        for (int i = 0; i < DatagramRun.MAX_SEGMENTS; i++) {
            assertThat(add(100)).isTrue();
        }
        assertThat(run.reserve(100)).isFalse();
    }

    @Test
    void aRunStaysWithinOneUdpPayload() {
        int fit = DatagramRun.MAX_PAYLOAD / 1428;
        for (int i = 0; i < fit; i++) {
            assertThat(add(1428)).isTrue();
        }
        assertThat(run.reserve(1428)).isFalse();
        assertThat(run.payload().remaining()).isEqualTo(fit * 1428);
    }

    @Test
    void anEmptyRunTakesAnything() {
        add(100);
        add(50);
        run.clear();

        assertThat(run.reserve(1428)).isTrue();
        assertThat(run.count()).isZero();
        assertThat(run.payload().remaining()).isZero();
    }
}
