package io.jpair.neighbour;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.MacAddress;
import org.junit.jupiter.api.Test;

/** The neighbour cache: bounded, expiring, and believing only answers to its own questions. */
class NeighbourTableTest {
    private static final long S = 1_000_000_000L;
    private static final long PEER = 0x0200_0077_0001L;
    private static final long FORGER = 0x0200_0066_6666L;

    private final NeighbourTable table = new NeighbourTable(4, 300 * S);

    @Test
    void anAnswerIsTakenWhileOurRequestIsOutstanding() {
        assertThat(table.requestDue(0, 1, 0, S)).isTrue();
        assertThat(table.awaiting(0, 1, S)).isTrue();
        assertThat(table.offer(0, 1, PEER, S, false)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, S)).isEqualTo(PEER);
    }

    @Test
    void anAnswerNobodyAskedForIsNotTaken() {
        assertThat(table.offer(0, 1, FORGER, 0, false)).isEqualTo(NeighbourTable.UNKNOWN);
        assertThat(table.size()).isZero();
        assertThat(table.lookup(0, 1, 0)).isEqualTo(MacAddress.NONE);
    }

    @Test
    void anAnswerArrivingAfterTheWindowIsNotTaken() {
        table.requestDue(0, 1, 0, S);
        long late = NeighbourTable.ANSWER_WINDOW_NANOS + 1;
        assertThat(table.awaiting(0, 1, late)).isFalse();
        assertThat(table.offer(0, 1, PEER, late, false)).isEqualTo(NeighbourTable.UNKNOWN);
    }

    @Test
    void oneRequestTakesOneAnswerAndASecondDifferentOneIsAConflict() {
        table.requestDue(0, 1, 0, S);
        table.offer(0, 1, PEER, 1, false);
        assertThat(table.offer(0, 1, FORGER, 2, false)).isEqualTo(NeighbourTable.CONFLICT);
        assertThat(table.lookup(0, 1, 3)).as("neither is believed until asked again").isEqualTo(MacAddress.NONE);
        assertThat(table.requestDue(0, 1, 3, S)).as("a conflict lets the next packet ask at once").isTrue();
        assertThat(table.offer(0, 1, PEER, 4, false)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, 5)).isEqualTo(PEER);
    }

    @Test
    void aKnownNeighbourRepeatingItsMacIsConfirmedAndRefreshed() {
        table.update(0, 1, PEER, 0);
        assertThat(table.offer(0, 1, PEER, 200 * S, false)).isEqualTo(NeighbourTable.CONFIRMED);
        assertThat(table.lookup(0, 1, 450 * S)).isEqualTo(PEER);
    }

    @Test
    void aRequestAddressedToUsMayAddAnUnknownNeighbour() {
        assertThat(table.offer(0, 1, PEER, 0, true)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, 0)).isEqualTo(PEER);
    }

    @Test
    void aRequestAddressedToUsCannotReplaceAKnownMac() {
        table.update(0, 1, PEER, 0);
        assertThat(table.offer(0, 1, FORGER, 1, true)).isEqualTo(NeighbourTable.CONFLICT);
        assertThat(table.lookup(0, 1, 2)).isEqualTo(MacAddress.NONE);
    }

    @Test
    void entriesExpireAfterTheirLifetime() {
        table.update(0, 1, PEER, 0);
        assertThat(table.lookup(0, 1, 300 * S)).isEqualTo(PEER);
        assertThat(table.lookup(0, 1, 300 * S + 1)).isEqualTo(MacAddress.NONE);
        assertThat(table.entries(300 * S + 1)).isEmpty();
    }

    @Test
    void theTableNeverHoldsMoreThanItsCapacity() {
        for (int i = 0; i < 1000; i++) {
            table.requestDue(0, i, i, S);
            table.update(1, i, PEER, i);
        }
        assertThat(table.size()).isEqualTo(table.capacity()).isEqualTo(4);
    }

    @Test
    void aFullTableReplacesAbandonedRequestsBeforeResolvedNeighbours() {
        table.update(0, 1, PEER, 0);
        table.update(0, 2, PEER, 1);
        table.update(0, 3, PEER, 2);
        table.requestDue(0, 4, 3, S);
        long later = 3 + NeighbourTable.ANSWER_WINDOW_NANOS + 1;
        table.update(0, 5, PEER, later);
        assertThat(table.contains(0, 4)).as("the unanswered request went first").isFalse();
        assertThat(table.lookup(0, 1, later)).as("the oldest resolved neighbour stayed").isEqualTo(PEER);
    }

    @Test
    void aFullTableReplacesExpiredNeighboursBeforeLiveOnes() {
        NeighbourTable small = new NeighbourTable(2, 10 * S);
        small.update(0, 1, PEER, 5 * S);
        small.update(0, 2, PEER, 0);
        small.update(0, 3, PEER, 11 * S);
        assertThat(small.contains(0, 2)).isFalse();
        assertThat(small.lookup(0, 1, 11 * S)).isEqualTo(PEER);
    }

    @Test
    void aFullTableOfLiveEntriesReplacesTheLeastRecentlyUpdated() {
        for (int i = 1; i <= 4; i++) {
            table.update(0, i, PEER, i);
        }
        table.offer(0, 1, PEER, 10, false);
        table.update(0, 9, PEER, 11);
        assertThat(table.contains(0, 2)).isFalse();
        assertThat(table.contains(0, 1)).isTrue();
    }
}
