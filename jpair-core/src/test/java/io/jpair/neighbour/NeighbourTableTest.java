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
        assertThat(table.offer(0, 1, PEER, S, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, S)).isEqualTo(PEER);
    }

    @Test
    void anAnswerNobodyAskedForIsNotTaken() {
        assertThat(table.offer(0, 1, FORGER, 0, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.UNKNOWN);
        assertThat(table.size()).isZero();
        assertThat(table.lookup(0, 1, 0)).isEqualTo(MacAddress.NONE);
    }

    @Test
    void anAnswerArrivingAfterTheWindowIsNotTaken() {
        table.requestDue(0, 1, 0, S);
        long late = NeighbourTable.ANSWER_WINDOW_NANOS + 1;
        assertThat(table.awaiting(0, 1, late)).isFalse();
        assertThat(table.offer(0, 1, PEER, late, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.UNKNOWN);
    }

    @Test
    void oneRequestTakesOneAnswerAndASecondDifferentOneIsAConflictThatKeepsTheFirst() {
        table.requestDue(0, 1, 0, S);
        table.offer(0, 1, PEER, 1, NeighbourTable.ANSWER);
        assertThat(table.offer(0, 1, FORGER, 2, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.CONFLICT);
        assertThat(table.lookup(0, 1, 3)).as("the old MAC stays in use").isEqualTo(PEER);
        assertThat(table.revalidating(0, 1, 3)).isTrue();
    }

    @Test
    void aConflictAsksForOneProbeAtOnceThenOnePerIntervalUpToTheLimit() {
        table.update(0, 1, PEER, 0);
        table.offer(0, 1, FORGER, 1, NeighbourTable.REQUEST);
        assertThat(table.probeDue(0, 1, 1)).isEqualTo(NeighbourTable.FIRST_PROBE);
        assertThat(table.probeDue(0, 1, 2)).isEqualTo(NeighbourTable.NO_PROBE);
        assertThat(table.probeDue(0, 1, 1 + S)).isEqualTo(NeighbourTable.REPEATED_PROBE);
        assertThat(table.probeDue(0, 1, 1 + 2 * S)).isEqualTo(NeighbourTable.REPEATED_PROBE);
        assertThat(table.probeDue(0, 1, 2 + 2 * S)).isEqualTo(NeighbourTable.NO_PROBE);
    }

    @Test
    void theOldMacAnsweringTheProbeEndsTheRevalidationAndKeepsIt() {
        table.update(0, 1, PEER, 0);
        table.offer(0, 1, FORGER, 1, NeighbourTable.REQUEST);
        table.probeDue(0, 1, 1);
        table.offer(0, 1, FORGER, 2, NeighbourTable.ANSWER);
        assertThat(table.offer(0, 1, PEER, 3, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.CONFIRMED);
        assertThat(table.revalidating(0, 1, 4)).isFalse();
        assertThat(table.lookup(0, 1, 10 * S)).as("the forger's answer is forgotten").isEqualTo(PEER);
    }

    @Test
    void aNewMacAnsweringTheProbeIsTakenOnlyWhenTheOldStaysSilent() {
        table.update(0, 1, PEER, 0);
        table.offer(0, 1, FORGER, 1, NeighbourTable.HEARSAY);
        table.probeDue(0, 1, 1);
        assertThat(table.offer(0, 1, FORGER, 2, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.CONFLICT);
        long end = 1 + NeighbourTable.MAX_PROBES * NeighbourTable.PROBE_INTERVAL_NANOS;
        assertThat(table.lookup(0, 1, end - 1)).isEqualTo(PEER);
        assertThat(table.lookup(0, 1, end)).isEqualTo(FORGER);
    }

    @Test
    void aRequestDuringTheRevalidationIsNoCandidate() {
        table.update(0, 1, PEER, 0);
        table.offer(0, 1, FORGER, 1, NeighbourTable.REQUEST);
        table.probeDue(0, 1, 1);
        table.offer(0, 1, FORGER, 2, NeighbourTable.REQUEST);
        long end = 1 + NeighbourTable.MAX_PROBES * NeighbourTable.PROBE_INTERVAL_NANOS;
        assertThat(table.lookup(0, 1, end)).as("nobody answered: resolve afresh").isEqualTo(MacAddress.NONE);
        assertThat(table.requestDue(0, 1, end, S)).isTrue();
    }

    @Test
    void aRequestCannotFillInAnAddressBeingResolved() {
        table.requestDue(0, 1, 0, S);
        assertThat(table.offer(0, 1, FORGER, 1, NeighbourTable.REQUEST)).isEqualTo(NeighbourTable.UNKNOWN);
        assertThat(table.offer(0, 1, PEER, 2, NeighbourTable.ANSWER)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, 3)).isEqualTo(PEER);
    }

    @Test
    void requestsForTheWholeTableStayWithinItsBudget() {
        NeighbourTable big = new NeighbourTable(1000, 300 * S, 10);
        int sent = 0;
        for (int i = 0; i < 1000; i++) {
            if (big.requestDue(0, i, i * (S / 100), S)) {
                sent++;
            }
        }
        // 10 s: a burst of 10, then 10 a second.
        assertThat(sent).isBetween(100, 110);
        assertThat(big.requestsSuppressed()).isEqualTo(1000 - sent);
    }

    @Test
    void aKnownNeighbourRepeatingItsMacIsConfirmedAndRefreshed() {
        table.update(0, 1, PEER, 0);
        assertThat(table.offer(0, 1, PEER, 200 * S, NeighbourTable.HEARSAY)).isEqualTo(NeighbourTable.CONFIRMED);
        assertThat(table.lookup(0, 1, 450 * S)).isEqualTo(PEER);
    }

    @Test
    void aRequestAddressedToUsMayAddAnUnknownNeighbour() {
        assertThat(table.offer(0, 1, PEER, 0, NeighbourTable.REQUEST)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.lookup(0, 1, 0)).isEqualTo(PEER);
    }

    @Test
    void aRequestAddressedToUsCannotReplaceAKnownMac() {
        table.update(0, 1, PEER, 0);
        assertThat(table.offer(0, 1, FORGER, 1, NeighbourTable.REQUEST)).isEqualTo(NeighbourTable.CONFLICT);
        assertThat(table.lookup(0, 1, 2)).isEqualTo(PEER);
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
    void aFullTableReplacesTheLeastRecentlyUsedIdleNeighbour() {
        for (int i = 1; i <= 4; i++) {
            table.update(0, i, PEER, i);
        }
        long later = 2 * NeighbourTable.IN_USE_NANOS;
        table.lookup(0, 1, later);
        table.lookup(0, 3, later);
        table.lookup(0, 4, later);
        assertThat(table.offer(0, 9, PEER, later + 1, NeighbourTable.REQUEST)).isEqualTo(NeighbourTable.LEARNED);
        assertThat(table.contains(0, 2)).isFalse();
        assertThat(table.contains(0, 1)).isTrue();
    }

    @Test
    void aFullTableOfNeighboursInUseAdmitsNoRequestsSender() {
        for (int i = 1; i <= 4; i++) {
            table.update(0, i, PEER, i);
        }
        for (int i = 10; i < 210; i++) {
            assertThat(table.offer(0, i, FORGER, 100 + i, NeighbourTable.REQUEST)).isEqualTo(NeighbourTable.UNKNOWN);
        }
        assertThat(table.admissionsRefused()).isEqualTo(200);
        for (int i = 1; i <= 4; i++) {
            assertThat(table.lookup(0, i, 1000)).isEqualTo(PEER);
        }
    }

    @Test
    void sendersOfRequestsDisplaceOnlyEachOtherNotANeighbourInUse() {
        table.update(0, 1, PEER, 0);
        for (int i = 10; i < 210; i++) {
            long now = i * S;
            table.offer(0, i, FORGER, now, NeighbourTable.REQUEST);
            table.lookup(0, 1, now);
        }
        assertThat(table.lookup(0, 1, 210 * S)).isEqualTo(PEER);
        assertThat(table.contains(0, 209)).isTrue();
    }
}
