package io.jpair.metrics;

import io.jpair.tuntap.DeviceCounters;
import java.util.function.ToLongFunction;

/**
 * One counter of a device fd's {@link DeviceCounters} (a {@code TuntapPort} or a {@code TunQueue}),
 * with the name it is exported under: the JMX attribute name is the getter's name
 * ({@code packetsRead}, ...), so a JMX client and the Java API say the same thing.
 *
 * <p>Reading is thread-safe: {@code DeviceCounters} are written with opaque stores by the thread
 * that drives the fd and read with opaque loads from any thread (atomic, possibly slightly stale).
 */
public enum DeviceCounter {
    /** {@link DeviceCounters#packetsRead()}. */
    PACKETS_READ("packetsRead", "Packets read: delivered to a protocol or handed to a batch caller",
        DeviceCounters::packetsRead),
    /** {@link DeviceCounters#bytesRead()}. */
    BYTES_READ("bytesRead", "Bytes of the packets read", DeviceCounters::bytesRead),
    /** {@link DeviceCounters#superPacketsRead()}. */
    SUPER_PACKETS_READ("superPacketsRead", "GSO super-packets the kernel handed over (with offload)",
        DeviceCounters::superPacketsRead),
    /** {@link DeviceCounters#packetsWritten()}. */
    PACKETS_WRITTEN("packetsWritten", "Packets the kernel accepted", DeviceCounters::packetsWritten),
    /** {@link DeviceCounters#bytesWritten()}. */
    BYTES_WRITTEN("bytesWritten", "Bytes the kernel accepted", DeviceCounters::bytesWritten),
    /** {@link DeviceCounters#superPacketsWritten()}. */
    SUPER_PACKETS_WRITTEN("superPacketsWritten", "Super-packets written, each carrying several coalesced packets",
        DeviceCounters::superPacketsWritten),
    /** {@link DeviceCounters#droppedReads()}. */
    DROPPED_READS("droppedReads", "Packets read but dropped (bad virtio header, more segments than a batch holds)",
        DeviceCounters::droppedReads),
    /** {@link DeviceCounters#droppedWrites()}. */
    DROPPED_WRITES("droppedWrites", "Packets dropped on write (full device queue: EAGAIN/ENOBUFS)",
        DeviceCounters::droppedWrites),
    /** {@link DeviceCounters#readErrors()}. */
    READ_ERRORS("readErrors", "Transient read errors (EIO, ENOBUFS) after which reading paused",
        DeviceCounters::readErrors),
    /** {@link DeviceCounters#protocolErrors()}. */
    PROTOCOL_ERRORS("protocolErrors", "Exceptions a protocol threw while handling a packet",
        DeviceCounters::protocolErrors);

    private final String attributeName;
    private final String description;
    private final ToLongFunction<DeviceCounters> getter;

    DeviceCounter(String attributeName, String description, ToLongFunction<DeviceCounters> getter) {
        this.attributeName = attributeName;
        this.description = description;
        this.getter = getter;
    }

    /**
     * The JMX attribute name: the {@code DeviceCounters} getter's name.
     *
     * @return e.g. {@code "packetsRead"}
     */
    public String attributeName() {
        return attributeName;
    }

    /**
     * One line saying what is counted.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The counter's current value; any thread.
     *
     * @param counters the counters of one fd
     * @return the count
     */
    public long valueIn(DeviceCounters counters) {
        return getter.applyAsLong(counters);
    }
}
