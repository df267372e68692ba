package io.jpair.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocols one read batch delivered to, each told once at the end. */
class ReadBatchTest {
    private final ReadBatch<String> batch = new ReadBatch<>(new String[0]);
    private final List<String> told = new ArrayList<>();

    @Test
    void eachProtocolIsToldOnceInTheOrderItFirstReceived() {
        batch.add(new String[] {"udp"});
        batch.add(new String[] {"icmp", "udp"});
        batch.add(new String[] {"udp"});
        batch.complete(told::add);

        assertThat(told).containsExactly("udp", "icmp");
    }

    @Test
    void aCompletedBatchStartsEmpty() {
        batch.add(new String[] {"udp"});
        batch.complete(told::add);
        batch.complete(told::add);

        assertThat(told).containsExactly("udp");
    }

    @Test
    void moreProtocolsThanTheInitialRoomAreAllKept() {
        for (int i = 0; i < 10; i++) {
            batch.add(new String[] {"p" + i});
        }
        batch.complete(told::add);

        assertThat(told).hasSize(10).startsWith("p0").endsWith("p9");
    }
}
