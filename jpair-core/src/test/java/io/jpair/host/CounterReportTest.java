package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterReportTest {
    @Test
    void printsOneLinePerLayerWithoutZeroCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("ipv4.received", 41L);
        counters.put("ethernet.received", 7L);
        counters.put("ethernet.drop.NOT_FOR_US", 2L);
        counters.put("ethernet.drop.TRUNCATED", 0L);
        counters.put("udp.received", 0L);

        assertThat(CounterReport.of(counters, "  ")).isEqualTo(
            "  ethernet: drop.NOT_FOR_US=2 received=7\n"
                + "  ipv4: received=41");
    }

    @Test
    void saysSoWhenEveryCounterIsZero() {
        assertThat(CounterReport.of(Map.of("ethernet.received", 0L), "> ")).isEqualTo("> (all zero)");
    }

    @Test
    void keepsEveryLineShortWhenEveryCounterOfAHostIsNonZero() throws Exception {
        Map<String, Long> counters = new LinkedHashMap<>();
        new FuzzedHost(true).host.counters().keySet().forEach(name -> counters.put(name, 1_000_000_000L));

        assertThat(CounterReport.of(counters, "  ").lines())
            .hasSizeGreaterThan(1)
            .allMatch(line -> line.length() < 1000, "shorter than 1000 characters");
    }
}
