package io.jpair.tcp;

import java.nio.ByteBuffer;

/**
 * A connection's outgoing bytes, from SND.UNA on: unacknowledged bytes stay until acknowledged,
 * and a retransmission re-reads them by sequence number. A ring of direct memory that doubles
 * when a write does not fit (writes are never refused: the producer is paused above the limit
 * instead), so steady state allocates nothing.
 */
final class SendBuffer {
    private static final int INITIAL_CAPACITY = 16 * 1024;

    private ByteBuffer ring;
    private int mask;
    private int head;
    private int headSeq;
    private int size;

    SendBuffer(int firstSeq) {
        this.headSeq = firstSeq;
    }

    /** Bytes held (sent and unacknowledged, plus unsent). */
    int size() {
        return size;
    }

    /** The sequence number of the first byte held. */
    int headSeq() {
        return headSeq;
    }

    /** The sequence number after the last byte held. */
    int endSeq() {
        return headSeq + size;
    }

    /** Appends {@code data[position, limit)}; the position is not moved. */
    void append(ByteBuffer data) {
        int length = data.remaining();
        if (length == 0) {
            return;
        }
        ensure(size + length);
        int at = (head + size) & mask;
        int first = Math.min(length, ring.capacity() - at);
        ring.put(at, data, data.position(), first);
        if (first < length) {
            ring.put(0, data, data.position() + first, length - first);
        }
        size += length;
    }

    /** Copies {@code length} bytes starting at sequence {@code seq} to {@code target[at...]}. */
    void copy(int seq, int length, ByteBuffer target, int at) {
        int index = (head + (seq - headSeq)) & mask;
        int first = Math.min(length, ring.capacity() - index);
        target.put(at, ring, index, first);
        if (first < length) {
            target.put(at + first, ring, 0, length - first);
        }
    }

    /** Drops the first {@code bytes} (acknowledged). */
    void release(int bytes) {
        int n = Math.min(bytes, size);
        head = (head + n) & mask;
        headSeq += n;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    /** Drops everything (abort). */
    void clear() {
        headSeq += size;
        size = 0;
        head = 0;
    }

    private void ensure(int needed) {
        if (ring != null && needed <= ring.capacity()) {
            return;
        }
        int capacity = ring == null ? INITIAL_CAPACITY : ring.capacity();
        while (capacity < needed) {
            capacity <<= 1;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
        if (ring != null && size > 0) {
            int first = Math.min(size, ring.capacity() - head);
            bigger.put(0, ring, head, first);
            if (first < size) {
                bigger.put(first, ring, 0, size - first);
            }
        }
        ring = bigger;
        mask = capacity - 1;
        head = 0;
    }
}
