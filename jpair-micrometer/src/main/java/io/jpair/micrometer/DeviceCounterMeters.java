package io.jpair.micrometer;

import io.jpair.metrics.DeviceCounter;
import io.jpair.tuntap.DeviceCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of one fd's {@link DeviceCounters}, shared by the port and queue binders: one
 * {@code FunctionCounter} per {@link DeviceCounter}, named {@code <prefix>.packets.read} and so
 * on, drops as {@code <prefix>.drops} with a {@code direction} tag. No base unit is set: the
 * names say packets or bytes already, and Prometheus' naming convention would append the unit
 * again ({@code jpair_port_bytes_read_bytes_total}).
 */
final class DeviceCounterMeters {
    private DeviceCounterMeters() {
    }

    /**
     * The meter name of a counter below {@code prefix}.
     *
     * @param prefix e.g. {@code "jpair.port"}
     * @param counter the counter
     * @return e.g. {@code "jpair.port.packets.read"}
     */
    static String name(String prefix, DeviceCounter counter) {
        return prefix + switch (counter) {
            case PACKETS_READ -> ".packets.read";
            case BYTES_READ -> ".bytes.read";
            case SUPER_PACKETS_READ -> ".superpackets.read";
            case PACKETS_WRITTEN -> ".packets.written";
            case BYTES_WRITTEN -> ".bytes.written";
            case SUPER_PACKETS_WRITTEN -> ".superpackets.written";
            case DROPPED_READS, DROPPED_WRITES -> ".drops";
            case READ_ERRORS -> ".read.errors";
            case PROTOCOL_ERRORS -> ".protocol.errors";
        };
    }

    private static Tags tags(DeviceCounter counter, Tags tags) {
        return switch (counter) {
            case DROPPED_READS -> tags.and("direction", "read");
            case DROPPED_WRITES -> tags.and("direction", "write");
            default -> tags;
        };
    }

    /**
     * Registers the ten meters. The registry holds {@code counters} weakly, as Micrometer does:
     * the port or queue that owns them keeps them alive.
     *
     * @param registry where
     * @param prefix the name prefix
     * @param counters the live counters
     * @param tags {@code device} and any extra tags
     */
    static void bind(MeterRegistry registry, String prefix, DeviceCounters counters, Tags tags) {
        for (DeviceCounter counter : DeviceCounter.values()) {
            FunctionCounter.builder(name(prefix, counter), counters, c -> counter.valueIn(c))
                .tags(tags(counter, tags))
                .description(counter.description())
                .register(registry);
        }
    }
}
