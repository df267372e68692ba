package io.jpair.tcp;

import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * The receiver's SACK blocks (RFC 2018 section 4): the most recently received out-of-order
 * ranges above RCV.NXT, to report in the SACK option of each ACK.
 *
 * <pre>{@code
 * sackBlocks.segmentReceived(seq, seq + len);   // an out-of-order segment was queued
 * sackBlocks.advance(rcvNxt);                   // in-order data moved RCV.NXT
 * int written = sackBlocks.encode(options, at, timestamps ? 3 : 4);
 * }</pre>
 *
 * <p>The ordering rules of RFC 2018 section 4: the first block holds the segment that triggered
 * this ACK (the range it now belongs to, after merging); the others are the most recently reported
 * ranges, newest first. At most {@value #MAX_BLOCKS} ranges are kept, which is all an option can
 * carry (3 beside timestamps); an older range pushed out is simply no longer reported, as the RFC
 * allows. Pass the whole contiguous range the segment joined, when the reassembly queue knows it,
 * or just the segment: overlapping and adjacent ranges merge either way. D-SACK (RFC 2883) is not
 * reported. No allocation; reactor thread only.
 *
 * <pre>
 *  Kind=5 | Length=8n+2 | Left Edge of 1st Block | Right Edge of 1st Block | ... (RFC 2018 section 3)
 * </pre>
 */
public final class SackBlocks {
    /** The most blocks a SACK option carries: 4 (40 option bytes). */
    public static final int MAX_BLOCKS = 4;
    /** The option kind: 5. */
    public static final int KIND = 5;

    private final int[] starts = new int[MAX_BLOCKS];
    private final int[] ends = new int[MAX_BLOCKS];
    private int count;

    /** No blocks. */
    public SackBlocks() {
    }

    /**
     * An out-of-order segment was received and queued: its range becomes (or joins) the first
     * block.
     *
     * @param start the segment's (or its contiguous range's) first sequence number
     * @param end the sequence number after its last byte; an empty range is ignored
     */
    public void segmentReceived(int start, int end) {
        if (end - start <= 0) {
            return;
        }
        int mergedStart = start;
        int mergedEnd = end;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (starts[i] - mergedEnd <= 0 && ends[i] - mergedStart >= 0) {
                if (starts[i] - mergedStart < 0) {
                    mergedStart = starts[i];
                }
                if (ends[i] - mergedEnd > 0) {
                    mergedEnd = ends[i];
                }
            } else {
                starts[kept] = starts[i];
                ends[kept] = ends[i];
                kept++;
            }
        }
        // A merge can join ranges that were apart before; absorb any the union now touches.
        boolean grew = true;
        while (grew) {
            grew = false;
            int keep = 0;
            for (int i = 0; i < kept; i++) {
                if (starts[i] - mergedEnd <= 0 && ends[i] - mergedStart >= 0) {
                    mergedStart = starts[i] - mergedStart < 0 ? starts[i] : mergedStart;
                    mergedEnd = ends[i] - mergedEnd > 0 ? ends[i] : mergedEnd;
                    grew = true;
                } else {
                    starts[keep] = starts[i];
                    ends[keep] = ends[i];
                    keep++;
                }
            }
            kept = keep;
        }
        int move = Math.min(kept, MAX_BLOCKS - 1);
        System.arraycopy(starts, 0, starts, 1, move);
        System.arraycopy(ends, 0, ends, 1, move);
        starts[0] = mergedStart;
        ends[0] = mergedEnd;
        count = move + 1;
    }

    /**
     * RCV.NXT advanced: blocks it covers are dropped and those it reaches into are cut.
     *
     * @param rcvNxt the new RCV.NXT
     */
    public void advance(int rcvNxt) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (ends[i] - rcvNxt > 0) {
                starts[kept] = starts[i] - rcvNxt < 0 ? rcvNxt : starts[i];
                ends[kept] = ends[i];
                kept++;
            }
        }
        count = kept;
    }

    /** Forgets every block (the connection closed, or the reassembly queue was dropped). */
    public void clear() {
        count = 0;
    }

    /**
     * The blocks to report.
     *
     * @return 0 to {@value #MAX_BLOCKS}
     */
    public int count() {
        return count;
    }

    /**
     * The left edge of block {@code i}, newest first.
     *
     * @param i from 0 to {@link #count()} - 1
     * @return its first sequence number
     */
    public int start(int i) {
        return starts[checkIndex(i)];
    }

    /**
     * The right edge of block {@code i}.
     *
     * @param i from 0 to {@link #count()} - 1
     * @return the sequence number after its last byte
     */
    public int end(int i) {
        return ends[checkIndex(i)];
    }

    /**
     * Writes the SACK option (kind, length, then the edges in network order) at an absolute
     * index, without moving the buffer's position (whatever its byte order). Writes nothing when there are no blocks.
     *
     * @param options the TCP header's option area
     * @param index where the option starts
     * @param maxBlocks how many blocks fit: 4, or 3 beside a timestamp option
     * @return the bytes written: {@code 2 + 8 n}, or 0
     * @throws IndexOutOfBoundsException if the buffer is too small
     */
    public int encode(ByteBuffer options, int index, int maxBlocks) {
        int n = Math.min(count, Math.min(maxBlocks, MAX_BLOCKS));
        if (n <= 0) {
            return 0;
        }
        int length = 2 + 8 * n;
        options.put(index, (byte) KIND);
        options.put(index + 1, (byte) length);
        for (int i = 0; i < n; i++) {
            NetworkOrder.i32(options, index + 2 + 8 * i, starts[i]);
            NetworkOrder.i32(options, index + 6 + 8 * i, ends[i]);
        }
        return length;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("SACK block " + i + " of " + count);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SackBlocks[");
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : " ").append(Integer.toUnsignedString(starts[i])).append('-')
                .append(Integer.toUnsignedString(ends[i]));
        }
        return s.append(']').toString();
    }
}
