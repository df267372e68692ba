package io.jpair.socket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The traffic counters of one {@link UdpPort}: written by its reactor thread with opaque stores,
 * readable by any thread (atomic, possibly slightly stale). Datagrams are counted as on the wire:
 * a GRO datagram of 10 segments counts 10 received, a GSO send of 10 segments 10 written.
 */
public final class UdpCounters {
    private static final VarHandle DATAGRAMS_READ = handle("datagramsRead");
    private static final VarHandle BYTES_READ = handle("bytesRead");
    private static final VarHandle SUPER_DATAGRAMS_READ = handle("superDatagramsRead");
    private static final VarHandle READ_BATCHES = handle("readBatches");
    private static final VarHandle DATAGRAMS_WRITTEN = handle("datagramsWritten");
    private static final VarHandle BYTES_WRITTEN = handle("bytesWritten");
    private static final VarHandle SUPER_DATAGRAMS_WRITTEN = handle("superDatagramsWritten");
    private static final VarHandle WRITE_CALLS = handle("writeCalls");
    private static final VarHandle DROPPED_READS = handle("droppedReads");
    private static final VarHandle DROPPED_WRITES = handle("droppedWrites");
    private static final VarHandle READ_ERRORS = handle("readErrors");
    private static final VarHandle PROTOCOL_ERRORS = handle("protocolErrors");

    private long datagramsRead;
    private long bytesRead;
    private long superDatagramsRead;
    private long readBatches;
    private long datagramsWritten;
    private long bytesWritten;
    private long superDatagramsWritten;
    private long writeCalls;
    private long droppedReads;
    private long droppedWrites;
    private long readErrors;
    private long protocolErrors;

    UdpCounters() {
    }

    private static VarHandle handle(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(UdpCounters.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void read(long datagrams, long bytes) {
        DATAGRAMS_READ.setOpaque(this, datagramsRead + datagrams);
        BYTES_READ.setOpaque(this, bytesRead + bytes);
    }

    void superDatagramRead() {
        SUPER_DATAGRAMS_READ.setOpaque(this, superDatagramsRead + 1);
    }

    void readBatch() {
        READ_BATCHES.setOpaque(this, readBatches + 1);
    }

    void written(long datagrams, long bytes) {
        DATAGRAMS_WRITTEN.setOpaque(this, datagramsWritten + datagrams);
        BYTES_WRITTEN.setOpaque(this, bytesWritten + bytes);
    }

    void superDatagramWritten() {
        SUPER_DATAGRAMS_WRITTEN.setOpaque(this, superDatagramsWritten + 1);
    }

    void writeCall() {
        WRITE_CALLS.setOpaque(this, writeCalls + 1);
    }

    void droppedRead() {
        DROPPED_READS.setOpaque(this, droppedReads + 1);
    }

    void droppedWrites(long datagrams) {
        DROPPED_WRITES.setOpaque(this, droppedWrites + datagrams);
    }

    void readError() {
        READ_ERRORS.setOpaque(this, readErrors + 1);
    }

    void protocolError() {
        PROTOCOL_ERRORS.setOpaque(this, protocolErrors + 1);
    }

    /**
     * Datagrams delivered (GRO segments counted one by one).
     *
     * @return the count
     */
    public long datagramsRead() {
        return (long) DATAGRAMS_READ.getOpaque(this);
    }

    /**
     * Payload bytes received.
     *
     * @return the count
     */
    public long bytesRead() {
        return (long) BYTES_READ.getOpaque(this);
    }

    /**
     * Coalesced (GRO) datagrams of more than one segment received.
     *
     * @return the count
     */
    public long superDatagramsRead() {
        return (long) SUPER_DATAGRAMS_READ.getOpaque(this);
    }

    /**
     * {@code recvmmsg} calls that brought at least one datagram (one {@code readComplete} each).
     *
     * @return the count
     */
    public long readBatches() {
        return (long) READ_BATCHES.getOpaque(this);
    }

    /**
     * Datagrams the kernel accepted (GSO segments counted one by one).
     *
     * @return the count
     */
    public long datagramsWritten() {
        return (long) DATAGRAMS_WRITTEN.getOpaque(this);
    }

    /**
     * Payload bytes the kernel accepted.
     *
     * @return the count
     */
    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }

    /**
     * GSO sends of more than one segment the kernel accepted.
     *
     * @return the count
     */
    public long superDatagramsWritten() {
        return (long) SUPER_DATAGRAMS_WRITTEN.getOpaque(this);
    }

    /**
     * {@code sendmmsg} calls made.
     *
     * @return the count
     */
    public long writeCalls() {
        return (long) WRITE_CALLS.getOpaque(this);
    }

    /**
     * Datagrams received but not delivered: larger than {@link UdpOptions#maxDatagramSize()}.
     *
     * @return the count
     */
    public long droppedReads() {
        return (long) DROPPED_READS.getOpaque(this);
    }

    /**
     * Datagrams written but refused by the kernel (a full send buffer, {@code EAGAIN} or
     * {@code ENOBUFS}, or an error such as {@code ENETUNREACH}).
     *
     * @return the count
     */
    public long droppedWrites() {
        return (long) DROPPED_WRITES.getOpaque(this);
    }

    /**
     * Transient receive errors ({@code ENOBUFS}, {@code ENOMEM}).
     *
     * @return the count
     */
    public long readErrors() {
        return (long) READ_ERRORS.getOpaque(this);
    }

    /**
     * Exceptions thrown by the protocol (caught, counted and logged).
     *
     * @return the count
     */
    public long protocolErrors() {
        return (long) PROTOCOL_ERRORS.getOpaque(this);
    }

    @Override
    public String toString() {
        return "UdpCounters[read=" + datagramsRead() + ", written=" + datagramsWritten() + ", droppedReads="
            + droppedReads() + ", droppedWrites=" + droppedWrites() + ", batches=" + readBatches() + "]";
    }
}
