package io.jpair.tunnel;

import java.nio.ByteBuffer;

/**
 * Consecutive datagrams to one peer gathered into one buffer for a single UDP GSO send
 * ({@code UDP_SEGMENT}): wireguard-go's {@code coalesceMessages}. The kernel cuts such a send
 * into datagrams of exactly the segment size, only the last may be shorter, so a run takes
 * datagrams while each is no longer than the first (whose length is the segment size), ends with
 * the first shorter one, and stays within {@value #MAX_SEGMENTS} datagrams and
 * {@value #MAX_PAYLOAD} bytes (one IPv4 UDP payload). The segments of one TCP super-packet read
 * from a TUN device are such a run: equal sizes, the last shorter, and equal once sealed.
 *
 * <p>Use: {@link #reserve} room for the next datagram (false: send the run first, then reserve
 * again), write the datagram at {@link #writeOffset()} of {@link #array()}, {@link #commit} its
 * length; send {@link #payload()} with {@link #segmentSize()} when {@link #reserve} refuses or
 * the batch ends, then {@link #clear()}. A heap buffer, so that a {@link DatagramSeal} seals in
 * place in it. Allocation-free; one thread.
 */
public final class DatagramRun {
    /** The most datagrams per send: the segment limit every kernel since 4.18 takes. */
    public static final int MAX_SEGMENTS = 64;
    /** The most bytes per send: 65535 less the IPv4 and UDP headers. */
    public static final int MAX_PAYLOAD = 65507;

    private final byte[] array = new byte[MAX_PAYLOAD];
    private final ByteBuffer view = ByteBuffer.wrap(array);
    private int length;
    private int count;
    private int segmentSize;
    private boolean closed;

    /** An empty run. */
    public DatagramRun() {
    }

    /**
     * Makes room for one more datagram of {@code size} bytes.
     *
     * @param size the datagram's length, 1..{@value #MAX_PAYLOAD}
     * @return false if it cannot join this run: send and clear the run, then reserve again (an
     *     empty run always has room)
     */
    public boolean reserve(int size) {
        if (count == 0) {
            return true;
        }
        return !closed && size <= segmentSize && count < MAX_SEGMENTS && length + size <= MAX_PAYLOAD;
    }

    /**
     * Where the reserved datagram goes in {@link #array()}.
     *
     * @return its offset
     */
    public int writeOffset() {
        return length;
    }

    /**
     * The run's bytes, for writing the next datagram in place.
     *
     * @return the backing array
     */
    public byte[] array() {
        return array;
    }

    /**
     * Adds the datagram written at {@link #writeOffset()}.
     *
     * @param size its length (at most what was reserved)
     */
    public void commit(int size) {
        if (count == 0) {
            segmentSize = size;
        } else if (size < segmentSize) {
            closed = true;
        }
        length += size;
        count++;
    }

    /**
     * How many datagrams the run holds.
     *
     * @return 0 when empty
     */
    public int count() {
        return count;
    }

    /**
     * The length of every datagram but the last (the {@code UDP_SEGMENT} value).
     *
     * @return the first datagram's length
     */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * The run as one payload.
     *
     * @return a view from 0 to the run's length (the same object each time)
     */
    public ByteBuffer payload() {
        return view.limit(length).position(0);
    }

    /** Forgets the datagrams (after they were sent). */
    public void clear() {
        length = 0;
        count = 0;
        segmentSize = 0;
        closed = false;
    }
}
