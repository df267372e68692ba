package io.jpair.tuntap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The traffic counters of one device fd, shared by {@link TuntapPort} and {@link TunQueue} so both
 * count the same way: written by the one thread that drives the fd, with opaque stores (a plain
 * {@code mov} on x86; a volatile store's fence costs ~5 ns per packet and counter), and read by
 * any thread with opaque loads: atomic, possibly slightly stale, never stale forever.
 */
public final class DeviceCounters {
    private static final VarHandle PACKETS_READ = handle("packetsRead");
    private static final VarHandle BYTES_READ = handle("bytesRead");
    private static final VarHandle SUPER_PACKETS_READ = handle("superPacketsRead");
    private static final VarHandle PACKETS_WRITTEN = handle("packetsWritten");
    private static final VarHandle BYTES_WRITTEN = handle("bytesWritten");
    private static final VarHandle SUPER_PACKETS_WRITTEN = handle("superPacketsWritten");
    private static final VarHandle DROPPED_READS = handle("droppedReads");
    private static final VarHandle DROPPED_WRITES = handle("droppedWrites");
    private static final VarHandle READ_ERRORS = handle("readErrors");
    private static final VarHandle PROTOCOL_ERRORS = handle("protocolErrors");

    private long packetsRead;
    private long bytesRead;
    private long superPacketsRead;
    private long packetsWritten;
    private long bytesWritten;
    private long superPacketsWritten;
    private long droppedReads;
    private long droppedWrites;
    private long readErrors;
    private long protocolErrors;

    /** All zero. */
    public DeviceCounters() {
    }

    private static VarHandle handle(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(DeviceCounters.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void read(long packets, long bytes) {
        PACKETS_READ.setOpaque(this, packetsRead + packets);
        BYTES_READ.setOpaque(this, bytesRead + bytes);
    }

    void superPacketRead() {
        SUPER_PACKETS_READ.setOpaque(this, superPacketsRead + 1);
    }

    void written(long packets, long bytes) {
        PACKETS_WRITTEN.setOpaque(this, packetsWritten + packets);
        BYTES_WRITTEN.setOpaque(this, bytesWritten + bytes);
    }

    void superPacketWritten() {
        SUPER_PACKETS_WRITTEN.setOpaque(this, superPacketsWritten + 1);
    }

    void droppedRead() {
        DROPPED_READS.setOpaque(this, droppedReads + 1);
    }

    void droppedWrites(long packets) {
        DROPPED_WRITES.setOpaque(this, droppedWrites + packets);
    }

    void readError() {
        READ_ERRORS.setOpaque(this, readErrors + 1);
    }

    void protocolError() {
        PROTOCOL_ERRORS.setOpaque(this, protocolErrors + 1);
    }

    /**
     * Packets read: delivered to a protocol, or handed to a batch caller (after splitting).
     *
     * @return the count
     */
    public long packetsRead() {
        return (long) PACKETS_READ.getOpaque(this);
    }

    /**
     * Bytes of those packets.
     *
     * @return the count
     */
    public long bytesRead() {
        return (long) BYTES_READ.getOpaque(this);
    }

    /**
     * GSO super-packets the kernel handed over (with offload).
     *
     * @return the count
     */
    public long superPacketsRead() {
        return (long) SUPER_PACKETS_READ.getOpaque(this);
    }

    /**
     * Packets the kernel accepted.
     *
     * @return the count
     */
    public long packetsWritten() {
        return (long) PACKETS_WRITTEN.getOpaque(this);
    }

    /**
     * Bytes the kernel accepted.
     *
     * @return the count
     */
    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }

    /**
     * Super-packets written, each carrying several coalesced packets.
     *
     * @return the count
     */
    public long superPacketsWritten() {
        return (long) SUPER_PACKETS_WRITTEN.getOpaque(this);
    }

    /**
     * Packets read but dropped: a virtio header that did not describe its packet, or more segments
     * than a batch holds.
     *
     * @return the count
     */
    public long droppedReads() {
        return (long) DROPPED_READS.getOpaque(this);
    }

    /**
     * Packets dropped on write: a full device queue ({@code EAGAIN}/{@code ENOBUFS}), or a held
     * packet whose coalesced write failed.
     *
     * @return the count
     */
    public long droppedWrites() {
        return (long) DROPPED_WRITES.getOpaque(this);
    }

    /**
     * Transient read errors ({@code EIO}, {@code ENOBUFS}) after which reading paused.
     *
     * @return the count
     */
    public long readErrors() {
        return (long) READ_ERRORS.getOpaque(this);
    }

    /**
     * Exceptions a protocol threw while handling a packet.
     *
     * @return the count
     */
    public long protocolErrors() {
        return (long) PROTOCOL_ERRORS.getOpaque(this);
    }

    @Override
    public String toString() {
        return "DeviceCounters[read=" + packetsRead() + "/" + bytesRead() + "B written=" + packetsWritten() + "/"
            + bytesWritten() + "B droppedReads=" + droppedReads() + " droppedWrites=" + droppedWrites()
            + " readErrors=" + readErrors() + " protocolErrors=" + protocolErrors() + "]";
    }
}
