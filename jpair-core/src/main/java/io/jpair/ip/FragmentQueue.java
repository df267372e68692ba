package io.jpair.ip;

import java.nio.ByteBuffer;

/**
 * One datagram being reassembled, in one reusable slot of a {@link Reassembler}: the key of the
 * datagram, the pieces received so far as sorted, merged {@code [start, end)} runs of the
 * payload, and a buffer holding the first fragment's header in front of {@link #BASE} and the
 * payload from {@code BASE} on. The buffer is allocated the first time the slot is used and kept,
 * so reassembly allocates nothing in steady state.
 */
final class FragmentQueue {
    /** Where the payload starts in the buffer: room for the largest header copy (IPv4 with options). */
    static final int BASE = 64;
    /** The largest payload: an IPv4 total length or an IPv6 fragmentable part, at most 65535. */
    static final int MAX_PAYLOAD = 65535;
    /** Bytes of one slot's buffer. */
    static final int SLOT_BYTES = BASE + MAX_PAYLOAD;

    ByteBuffer buffer;
    boolean inUse;
    int version;
    // IPv4 key: source, destination, protocol, identification. IPv6: source, destination, identification.
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    int protocol;
    int identification;
    long deadline;
    /** The payload length, once the last fragment (MF clear) arrived; -1 before. */
    int total;
    /** Bytes of header copied in front of {@link #BASE} once the first fragment arrived; 0 before. */
    int headerLength;
    /** Payload bytes of the first fragment (offset 0), for quoting it in a Time Exceeded. */
    int firstLength;
    final int[] runStart;
    final int[] runEnd;
    int runs;

    FragmentQueue(int maxRuns) {
        runStart = new int[maxRuns + 1];
        runEnd = new int[maxRuns + 1];
    }

    void open(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
            int protocol, int identification, long deadline) {
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(SLOT_BYTES);
        }
        buffer.clear();  // delivering the last datagram from this slot moved its limit
        this.inUse = true;
        this.version = version;
        this.sourceHigh = sourceHigh;
        this.sourceLow = sourceLow;
        this.destinationHigh = destinationHigh;
        this.destinationLow = destinationLow;
        this.protocol = protocol;
        this.identification = identification;
        this.deadline = deadline;
        this.total = -1;
        this.headerLength = 0;
        this.firstLength = 0;
        this.runs = 0;
    }

    boolean matches(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
            int protocol, int identification) {
        return inUse && this.version == version && this.identification == identification
            && this.sourceLow == sourceLow && this.destinationLow == destinationLow && this.protocol == protocol
            && this.sourceHigh == sourceHigh && this.destinationHigh == destinationHigh;
    }

    boolean sameSource(int version, long sourceHigh, long sourceLow) {
        return inUse && this.version == version && this.sourceHigh == sourceHigh && this.sourceLow == sourceLow;
    }

    /** Whether every byte of {@code [0, total)} has arrived. */
    boolean complete() {
        return total >= 0 && runs == 1 && runStart[0] == 0 && runEnd[0] == total;
    }

    /** The highest payload offset received so far. */
    int highestEnd() {
        return runs == 0 ? 0 : runEnd[runs - 1];
    }

    void release() {
        inUse = false;
        runs = 0;
    }
}
