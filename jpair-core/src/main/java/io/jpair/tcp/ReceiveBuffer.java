package io.jpair.tcp;

import java.nio.ByteBuffer;

/**
 * A connection's received bytes that its protocol has not taken yet: in-order bytes held while
 * reading is paused, and out-of-order bytes waiting for a hole to fill (RFC 9293 section 3.10.7.4
 * "segments are processed in sequence"). One ring of direct memory indexed by sequence number,
 * allocated the first time a byte must be held (a connection whose protocol keeps up never needs
 * it), plus a bounded list of out-of-order ranges: a segment that would need more is dropped,
 * never allocated for (smoltcp's assembler, userspace-tcp.md B5).
 *
 */
final class ReceiveBuffer {
    /** Most out-of-order ranges held. */
    static final int MAX_RANGES = 8;

    private final int capacity;
    private final int mask;
    private final int baseSeq;
    private ByteBuffer ring;
    private ByteBuffer view;
    private int readSeq;
    private int held;
    private final int[] rangeStart = new int[MAX_RANGES];
    private final int[] rangeEnd = new int[MAX_RANGES];
    private int ranges;

    /**
     * @param minimumCapacity the receive buffer size, rounded up to a power of two
     * @param firstSeq the sequence number of the first data byte (IRS + 1)
     */
    ReceiveBuffer(int minimumCapacity, int firstSeq) {
        int c = Integer.highestOneBit(Math.max(minimumCapacity, 1024) - 1) << 1;
        this.capacity = c;
        this.mask = c - 1;
        this.baseSeq = firstSeq;
        this.readSeq = firstSeq;
    }

    int capacity() {
        return capacity;
    }

    /** In-order bytes held for the protocol. */
    int held() {
        return held;
    }

    /** The sequence number after which nothing may be accepted: the right edge of the window. */
    int rightEdge() {
        return readSeq + capacity;
    }

    /** Bytes in out-of-order ranges. */
    int outOfOrderBytes() {
        int n = 0;
        for (int i = 0; i < ranges; i++) {
            n += rangeEnd[i] - rangeStart[i];
        }
        return n;
    }

    int rangeCount() {
        return ranges;
    }

    /** Copies {@code data[at, at + length)} into the ring at sequence {@code seq}. */
    void write(int seq, ByteBuffer data, int at, int length) {
        if (ring == null) {
            ring = ByteBuffer.allocateDirect(capacity);
            view = ring.duplicate();
        }
        int index = (seq - baseSeq) & mask;
        int first = Math.min(length, capacity - index);
        ring.put(index, data, at, first);
        if (first < length) {
            ring.put(0, data, at + first, length - first);
        }
    }

    /** In-order bytes at RCV.NXT were delivered straight from the segment, never held. */
    void skip(int bytes) {
        readSeq += bytes;
    }

    /**
     * Records an out-of-order range [start, end) already written. Returns false, recording
     * nothing, if it would need more than {@value #MAX_RANGES} ranges.
     */
    boolean addRange(int start, int end) {
        int i = 0;
        while (i < ranges && SequenceNumbers.lt(rangeEnd[i], start)) {
            i++;
        }
        if (i < ranges && SequenceNumbers.le(rangeStart[i], end)) {
            // overlaps or touches range i: merge it and every later one it reaches
            rangeStart[i] = SequenceNumbers.lt(start, rangeStart[i]) ? start : rangeStart[i];
            int newEnd = SequenceNumbers.max(end, rangeEnd[i]);
            int j = i + 1;
            while (j < ranges && SequenceNumbers.le(rangeStart[j], newEnd)) {
                newEnd = SequenceNumbers.max(newEnd, rangeEnd[j]);
                j++;
            }
            rangeEnd[i] = newEnd;
            int removed = j - i - 1;
            if (removed > 0) {
                System.arraycopy(rangeStart, j, rangeStart, i + 1, ranges - j);
                System.arraycopy(rangeEnd, j, rangeEnd, i + 1, ranges - j);
                ranges -= removed;
            }
            return true;
        }
        if (ranges == MAX_RANGES) {
            return false;
        }
        System.arraycopy(rangeStart, i, rangeStart, i + 1, ranges - i);
        System.arraycopy(rangeEnd, i, rangeEnd, i + 1, ranges - i);
        rangeStart[i] = start;
        rangeEnd[i] = end;
        ranges++;
        return true;
    }

    /**
     * RCV.NXT reached {@code next}: takes the out-of-order ranges it now reaches as in-order
     * (held) bytes.
     *
     * @return the new RCV.NXT
     */
    int advance(int next) {
        while (ranges > 0 && SequenceNumbers.le(rangeStart[0], next)) {
            if (SequenceNumbers.gt(rangeEnd[0], next)) {
                next = rangeEnd[0];
            }
            System.arraycopy(rangeStart, 1, rangeStart, 0, ranges - 1);
            System.arraycopy(rangeEnd, 1, rangeEnd, 0, ranges - 1);
            ranges--;
        }
        return next;
    }

    /**
     * The held bytes after {@code readSeq}, from {@code readSeq + held} to {@code next}, become
     * held: called after {@link #advance}.
     */
    void holdUpTo(int next) {
        held = next - readSeq;
    }

    /** The first chunk of held bytes, as a view valid until the next call; null when none held. */
    ByteBuffer peek() {
        if (held == 0) {
            return null;
        }
        int index = (readSeq - baseSeq) & mask;
        int length = Math.min(held, capacity - index);
        view.limit(index + length).position(index);
        return view;
    }

    /** The protocol took {@code bytes} of the held bytes. */
    void consume(int bytes) {
        readSeq += bytes;
        held -= bytes;
    }
}
