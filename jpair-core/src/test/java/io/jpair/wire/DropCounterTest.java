package io.jpair.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DropCounterTest {
    private enum Reason { SHORT, LONG, THREW }

    private final DropCounter<Reason> drops = new DropCounter<>(Reason.class, DropCounterTest.class);

    @Test
    void addCountsPerReason() {
        drops.add(Reason.SHORT);
        drops.add(Reason.SHORT);
        drops.add(Reason.LONG);
        assertThat(drops.get(Reason.SHORT)).isEqualTo(2);
        assertThat(drops.get(Reason.LONG)).isEqualTo(1);
        assertThat(drops.get(Reason.THREW)).isZero();
        assertThat(drops.total()).isEqualTo(3);
    }

    @Test
    void toMapListsEveryReasonInDeclarationOrderZerosIncluded() {
        drops.add(Reason.LONG);
        assertThat(drops.toMap()).containsExactly(Map.entry(Reason.SHORT, 0L), Map.entry(Reason.LONG, 1L),
            Map.entry(Reason.THREW, 0L));
    }

    @Test
    void protocolFailedCountsEveryFailure() {
        drops.protocolFailed(Reason.THREW, "layer", "proto", new IllegalStateException("first"));
        drops.protocolFailed(Reason.THREW, "layer", "proto", new IllegalStateException("second"));
        assertThat(drops.get(Reason.THREW)).isEqualTo(2);
    }
}
