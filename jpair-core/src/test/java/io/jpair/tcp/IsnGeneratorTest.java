package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6528 ISNs: a 4-microsecond clock plus a keyed hash of the 4-tuple. */
class IsnGeneratorTest {
    private static final int LOCAL = 0x0a000002;
    private static final int REMOTE = 0x0a000001;

    @Test
    void advancesOnePerFourMicroseconds() {
        IsnGenerator isns = new IsnGenerator(1, 2);
        int first = isns.isnV4(LOCAL, 80, REMOTE, 40000, 0);
        assertThat(isns.isnV4(LOCAL, 80, REMOTE, 40000, 4_000_000) - first).isEqualTo(1000);
        assertThat(isns.isnV4(LOCAL, 80, REMOTE, 40000, 3_999) - first).isZero();
    }

    @Test
    void differsPerFourTupleAndPerKey() {
        IsnGenerator isns = new IsnGenerator(1, 2);
        int base = isns.isnV4(LOCAL, 80, REMOTE, 40000, 0);
        assertThat(isns.isnV4(LOCAL, 80, REMOTE, 40001, 0)).isNotEqualTo(base);
        assertThat(isns.isnV4(LOCAL, 81, REMOTE, 40000, 0)).isNotEqualTo(base);
        assertThat(isns.isnV4(LOCAL, 80, REMOTE + 1, 40000, 0)).isNotEqualTo(base);
        assertThat(new IsnGenerator(1, 3).isnV4(LOCAL, 80, REMOTE, 40000, 0)).isNotEqualTo(base);
        assertThat(new IsnGenerator().isnV4(LOCAL, 80, REMOTE, 40000, 0))
            .isNotEqualTo(new IsnGenerator().isnV4(LOCAL, 80, REMOTE, 40000, 0));
    }

    @Test
    void isTheSameForTheSameTupleAndTime() {
        IsnGenerator isns = new IsnGenerator(5, 6);
        assertThat(isns.isnV6(1, 2, 80, 3, 4, 40000, 123_456_789))
            .isEqualTo(isns.isnV6(1, 2, 80, 3, 4, 40000, 123_456_789))
            .isNotEqualTo(isns.isnV6(1, 2, 80, 3, 5, 40000, 123_456_789));
    }

    @Test
    void allocatesNothing() {
        IsnGenerator isns = new IsnGenerator(5, 6);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int sink = 0;
        long allocated = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                sink += isns.isnV4(LOCAL, 80, REMOTE, i, i * 1000L);
                sink += isns.isnV6(1, 2, 80, 3, i, 443, i);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).as("sink %d", sink).isLessThan(1024);
    }
}
