package io.jpair.wire;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One counter per reason a protocol layer drops a packet ({@code EthernetDrop}, {@code IpDrop},
 * {@code UdpDrop}, {@code ArpDrop}, {@code IcmpDrop}): every layer counts what it refuses instead of
 * throwing, and a host's bookkeeping adds these counters up, so they are one type with one
 * behaviour.
 *
 * <p>A {@code long[]} indexed by the reason's ordinal: {@link #add} and {@link #get} allocate
 * nothing and may run on the per-packet path; {@link #toMap()} is for display. {@link #protocolFailed}
 * counts an upper protocol that threw and logs it, the first time as a warning and afterwards at
 * debug level only, so a protocol failing on every packet cannot flood the log.
 *
 * <p>Reactor thread only (the counts are plain {@code long}s); read from elsewhere for an
 * approximate snapshot.
 *
 * @param <E> the layer's reasons
 */
public final class DropCounter<E extends Enum<E>> {
    private final Class<E> reasons;
    private final long[] counts;
    private final Logger log;

    /**
     * Counters for every constant of {@code reasons}, all zero.
     *
     * @param reasons the enum of drop reasons
     * @param owner the class whose logger reports failed protocols
     */
    public DropCounter(Class<E> reasons, Class<?> owner) {
        this.reasons = reasons;
        this.counts = new long[reasons.getEnumConstants().length];
        this.log = LoggerFactory.getLogger(owner);
    }

    /**
     * Counts one drop.
     *
     * @param reason why
     */
    public void add(E reason) {
        counts[reason.ordinal()]++;
    }

    /**
     * Drops for one reason.
     *
     * @param reason the reason
     * @return the count since creation
     */
    public long get(E reason) {
        return counts[reason.ordinal()];
    }

    /**
     * Drops for every reason (zeros included).
     *
     * @return the sum
     */
    public long total() {
        long sum = 0;
        for (long n : counts) {
            sum += n;
        }
        return sum;
    }

    /**
     * Counts an upper protocol that threw from its receive method (the packet still goes to the
     * other protocols) and logs it: a warning with the stack trace the first time for this
     * reason, debug level after that.
     *
     * @param reason the layer's "protocol failed" reason
     * @param layer who delivered, for the log line (e.g. a {@code logPrefix()})
     * @param protocol the protocol that threw, for the log line
     * @param failure what it threw
     */
    public void protocolFailed(E reason, String layer, String protocol, RuntimeException failure) {
        long before = counts[reason.ordinal()]++;
        if (before == 0) {
            log.warn("{}: {} threw from datagramReceived (further failures are only counted)", layer, protocol,
                failure);
        } else {
            log.debug("{}: {} threw from datagramReceived", layer, protocol, failure);
        }
    }

    /**
     * Every counter, for display (allocates).
     *
     * @return reason to count, in declaration order
     */
    public Map<E, Long> toMap() {
        Map<E, Long> map = new EnumMap<>(reasons);
        for (E reason : reasons.getEnumConstants()) {
            map.put(reason, counts[reason.ordinal()]);
        }
        return map;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
