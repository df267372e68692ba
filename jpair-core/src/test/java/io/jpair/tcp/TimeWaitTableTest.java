package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The bounded TIME-WAIT table: lookups by 4-tuple, 2 MSL by the caller's clock, the oldest recycled when full. */
class TimeWaitTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int LOCAL = 0x0a000002;
    private static final int REMOTE = 0x0a000001;

    @Test
    void findsAnEntryByItsFourTupleWithItsState() {
        TimeWaitTable table = new TimeWaitTable();
        table.addV4(LOCAL, 80, REMOTE, 40000, 1001, 2002, 512, 77, true, 0);
        int e = table.findV4(LOCAL, 80, REMOTE, 40000, SECOND);
        assertThat(e).isNotNegative();
        assertThat(table.sndNxt(e)).isEqualTo(1001);
        assertThat(table.rcvNxt(e)).isEqualTo(2002);
        assertThat(table.window(e)).isEqualTo(512);
        assertThat(table.tsRecent(e)).isEqualTo(77);
        assertThat(table.hasTimestamps(e)).isTrue();
        assertThat(table.findV4(LOCAL, 80, REMOTE, 40001, SECOND)).isEqualTo(-1);
        assertThat(table.findV4(LOCAL, 81, REMOTE, 40000, SECOND)).isEqualTo(-1);
    }

    @Test
    void ipv4AndIpv6TuplesNeverMatchEachOther() {
        TimeWaitTable table = new TimeWaitTable();
        table.addV6(0, LOCAL, 80, 0, REMOTE, 40000, 1, 2, 3, 4, false, 0);
        assertThat(table.findV4(LOCAL, 80, REMOTE, 40000, 0)).isEqualTo(-1);
        assertThat(table.findV6(0, LOCAL, 80, 0, REMOTE, 40000, 0)).isNotNegative();
    }

    @Test
    void anEntryLivesSixtySecondsByDefault() {
        TimeWaitTable table = new TimeWaitTable();
        table.addV4(LOCAL, 80, REMOTE, 40000, 1, 2, 3, 4, false, 10 * SECOND);
        assertThat(table.findV4(LOCAL, 80, REMOTE, 40000, 70 * SECOND - 1)).isNotNegative();
        assertThat(table.findV4(LOCAL, 80, REMOTE, 40000, 70 * SECOND)).as("found expired, removed").isEqualTo(-1);
        assertThat(table.size()).isZero();
        assertThat(table.expirations()).isEqualTo(1);
    }

    @Test
    void expireRemovesOnlyEntriesPastTheirTwoMsl() {
        TimeWaitTable table = new TimeWaitTable(16, 60 * SECOND);
        table.addV4(LOCAL, 80, REMOTE, 1, 0, 0, 0, 0, false, 0);
        table.addV4(LOCAL, 80, REMOTE, 2, 0, 0, 0, 0, false, 10 * SECOND);
        assertThat(table.nextExpiryNanos()).isEqualTo(60 * SECOND);
        assertThat(table.expire(65 * SECOND)).isEqualTo(1);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.nextExpiryNanos()).isEqualTo(70 * SECOND);
        assertThat(table.expire(70 * SECOND)).isEqualTo(1);
        assertThat(table.nextExpiryNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void restartGivesAnotherTwoMsl() {
        TimeWaitTable table = new TimeWaitTable(16, 60 * SECOND);
        int first = table.addV4(LOCAL, 80, REMOTE, 1, 0, 0, 0, 0, false, 0);
        table.addV4(LOCAL, 80, REMOTE, 2, 0, 0, 0, 0, false, 5 * SECOND);
        table.restart(first, 30 * SECOND);
        assertThat(table.expire(80 * SECOND)).isEqualTo(1);
        assertThat(table.findV4(LOCAL, 80, REMOTE, 1, 80 * SECOND)).isEqualTo(first);
        assertThat(table.expiresAt(first)).isEqualTo(90 * SECOND);
    }

    @Test
    void addingTheSameTupleReplacesItsEntry() {
        TimeWaitTable table = new TimeWaitTable();
        int e = table.addV4(LOCAL, 80, REMOTE, 40000, 1, 2, 3, 4, false, 0);
        assertThat(table.addV4(LOCAL, 80, REMOTE, 40000, 10, 20, 30, 40, true, SECOND)).isEqualTo(e);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.sndNxt(e)).isEqualTo(10);
    }

    @Test
    void aFullTableRecyclesTheOldestAndCountsTheOverflow() {
        TimeWaitTable table = new TimeWaitTable(3, 60 * SECOND);
        for (int port = 1; port <= 4; port++) {
            table.addV4(LOCAL, 80, REMOTE, port, port, 0, 0, 0, false, port);
        }
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.overflows()).isEqualTo(1);
        assertThat(table.findV4(LOCAL, 80, REMOTE, 1, 10)).isEqualTo(-1);
        for (int port = 2; port <= 4; port++) {
            assertThat(table.sndNxt(table.findV4(LOCAL, 80, REMOTE, port, 10))).isEqualTo(port);
        }
    }

    @Test
    void removedEntriesAreGone() {
        TimeWaitTable table = new TimeWaitTable();
        int e = table.addV4(LOCAL, 80, REMOTE, 40000, 1, 2, 3, 4, false, 0);
        table.remove(e);
        assertThat(table.findV4(LOCAL, 80, REMOTE, 40000, 0)).isEqualTo(-1);
        assertThat(table.size()).isZero();
    }

    @Test
    void aHundredThousandShortConnectionsStayWithinTheBound() {
        TimeWaitTable table = new TimeWaitTable(1024, 60 * SECOND);
        long now = 0;
        for (int i = 0; i < 100_000; i++) {
            now += SECOND / 1000;
            table.addV4(LOCAL, 80, REMOTE + (i >>> 16), i & 0xFFFF, i, i, 0, 0, false, now);
            table.expire(now);
        }
        assertThat(table.size()).isEqualTo(1024);
        assertThat(table.overflows()).isPositive();
        assertThat(table.findV4(LOCAL, 80, REMOTE + (99_999 >>> 16), 99_999 & 0xFFFF, now)).isNotNegative();
    }

    @Test
    void lookupsAndChurnAllocateNothing() {
        TimeWaitTable table = new TimeWaitTable(16_384, 60 * SECOND);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = 0;
        int sink = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 10_000; i++) {
                table.addV4(LOCAL, 80, REMOTE, i, i, i, 0, 0, false, i);
                sink += table.findV4(LOCAL, 80, REMOTE, i / 2, i);
                sink += table.findV6(1, 2, 80, 3, 4, i, i);
                table.expire(i);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(allocated).as("sink %d", sink).isLessThan(1024);
    }

    @Test
    void rejectsAnEmptyTableOrZeroDuration() {
        assertThatThrownBy(() -> new TimeWaitTable(0, SECOND)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeWaitTable(4, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random adds, removes and restarts against a map: the index never loses or invents an entry. */
    @Property
    void agreesWithAMapUnderChurn(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 63) Integer> ports,
            @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 2) Integer> operations) {
        TimeWaitTable table = new TimeWaitTable(32, Long.MAX_VALUE / 4);
        Map<Integer, Integer> model = new HashMap<>();
        java.util.ArrayDeque<Integer> order = new java.util.ArrayDeque<>();
        for (int i = 0; i < Math.min(ports.size(), operations.size()); i++) {
            int port = ports.get(i);
            int e = table.findV4(LOCAL, 80, REMOTE, port, i);
            assertThat(e >= 0).isEqualTo(model.containsKey(port));
            switch (operations.get(i)) {
                case 0 -> {
                    if (!model.containsKey(port) && model.size() == 32) {
                        model.remove(order.removeFirst());
                    }
                    order.remove(port);
                    order.addLast(port);
                    table.addV4(LOCAL, 80, REMOTE, port, i, 0, 0, 0, false, i);
                    model.put(port, i);
                }
                case 1 -> {
                    if (e >= 0) {
                        table.remove(e);
                        model.remove(port);
                        order.remove(port);
                    }
                }
                default -> {
                    if (e >= 0) {
                        table.restart(e, i);
                        order.remove(port);
                        order.addLast(port);
                    }
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Integer, Integer> m : model.entrySet()) {
            assertThat(table.sndNxt(table.findV4(LOCAL, 80, REMOTE, m.getKey(), 0))).isEqualTo(m.getValue());
        }
    }
}
