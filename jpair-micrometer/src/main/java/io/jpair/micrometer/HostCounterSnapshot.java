package io.jpair.micrometer;

import io.jpair.metrics.IpHostCounterReader;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One snapshot of a host's counters shared by all its meters, taken on the reactor thread at most
 * once per {@code maxAge}: a scrape reads every meter in a few microseconds, so it costs one
 * hand-off to the reactor instead of one per meter. When the reactor does not answer, every meter
 * reads {@code NaN} until the next attempt, {@code maxAge} later (so a scrape waits for the
 * reactor's timeout once, not once per meter); the first failure is logged as a warning, the
 * recovery at info level.
 */
final class HostCounterSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(HostCounterSnapshot.class);

    private final IpHostCounterReader reader;
    private final long maxAgeNanos;
    private Map<String, Long> values;
    private long takenAt;
    private boolean failing;

    HostCounterSnapshot(IpHostCounterReader reader, long maxAgeNanos) {
        this.reader = reader;
        this.maxAgeNanos = maxAgeNanos;
    }

    /**
     * A counter from the current snapshot, refreshed first if it is older than the maximum age.
     *
     * @param name a name of {@code IpHost.counters()}
     * @return its value, or {@code NaN} while the reactor does not answer
     */
    synchronized double value(String name) {
        long now = System.nanoTime();
        if (values == null || now - takenAt >= maxAgeNanos) {
            takenAt = now;
            try {
                values = reader.read();
                if (failing) {
                    failing = false;
                    LOG.info("{}: IpHost counters readable again", reader.interfaceName());
                }
            } catch (IllegalStateException e) {
                values = Map.of();
                if (!failing) {
                    failing = true;
                    LOG.warn("{} (meters read NaN until the reactor answers)", e.getMessage());
                }
            }
        }
        Long value = values.get(name);
        return value == null ? Double.NaN : value;
    }
}
