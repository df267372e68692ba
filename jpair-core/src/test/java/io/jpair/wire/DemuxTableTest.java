package io.jpair.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemuxTableTest {
    private final DemuxTable<Runnable> table = new DemuxTable<>(8, new Runnable[0]);

    @Test
    void getReturnsProtocolsInRegistrationOrderAndEmptyForUnregisteredNumbers() {
        Runnable first = () -> { };
        Runnable second = () -> { };
        table.add(17, first);
        table.add(17, second);
        assertThat(table.get(17)).containsExactly(first, second);
        assertThat(table.get(18)).isEmpty();
        assertThat(table.get(255)).isEmpty();
    }

    @Test
    void removeTakesOutOneRegistrationOnly() {
        Runnable proto = () -> { };
        table.add(1, proto);
        table.add(1, proto);
        assertThat(table.remove(1, proto)).isTrue();
        assertThat(table.get(1)).containsExactly(proto);
        assertThat(table.remove(2, proto)).isFalse();
        assertThat(table.remove(-1, proto)).isFalse();
        assertThat(table.remove(256, proto)).isFalse();
    }

    @Test
    void addRejectsNumbersOutsideTheFieldAndNull() {
        assertThatThrownBy(() -> table.add(256, () -> { })).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Added protocol must fit in 8 bits: 256");
        assertThatThrownBy(() -> table.add(-1, () -> { })).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Added protocol must be positive or zero: -1");
        assertThatThrownBy(() -> table.add(0, null)).isInstanceOf(NullPointerException.class)
            .hasMessage("Added protocol must be an instance of Runnable, not null");
    }
}
