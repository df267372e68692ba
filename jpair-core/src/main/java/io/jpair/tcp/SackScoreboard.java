package io.jpair.tcp;

/**
 * The sender's record of what the peer selectively acknowledged (RFC 2018 section 5, RFC 6675):
 * the SACKed ranges of SND.UNA..SND.NXT, from which it finds the holes to retransmit and
 * estimates the bytes in flight ({@code pipe}).
 *
 * <pre>{@code
 * for (int i = 0; i < option.blocks(); i++) {          // each SACK block of an arriving ACK
 *     scoreboard.update(sndUna, sndNxt, option.left(i), option.right(i));
 * }
 * if (scoreboard.nextHole(highRxt) && scoreboard.isLost(scoreboard.holeStart(), mss)) {
 *     retransmit(scoreboard.holeStart(), Math.min(mss, scoreboard.holeEnd() - scoreboard.holeStart()));
 * }
 * long pipe = scoreboard.pipe(sndNxt, highRxt + 1, mss);           // RFC 6675 SetPipe()
 * }</pre>
 *
 * <p>Ranges are half open, {@code [start, end)}, in sequence space modulo 2<sup>32</sup>, kept
 * sorted and merged in fixed arrays of {@link #capacity()} ranges: no allocation per ACK, and at
 * most {@code capacity} steps per block, so crafted SACK floods (Linux's CVE-2019-11477/78 "SACK
 * panic") cost bounded work. A block outside SND.UNA..SND.NXT, or empty, is refused; a block
 * partly below SND.UNA (a D-SACK, RFC 2883) is cut at SND.UNA. When the arrays are full the range
 * farthest from SND.UNA is forgotten (counted by {@link #forgottenRanges()}): forgetting SACK
 * information only costs a spurious retransmission, since SACK is advisory.
 *
 * <p>SACKed data stays in the sender's queue until cumulatively acknowledged (the receiver may
 * renege, RFC 2018 section 8); after a retransmission timeout call {@link #clear()}. Reactor
 * thread only.
 */
public final class SackScoreboard {
    /** The default number of disjoint ranges kept: 32. */
    public static final int DEFAULT_CAPACITY = 32;
    /** RFC 6675's {@code DupThresh}: 3. */
    public static final int DUP_THRESH = 3;

    private final int[] starts;
    private final int[] ends;
    private int count;
    private long sacked;
    private int una;
    private long forgotten;
    private int holeStart;
    private int holeEnd;

    /** A scoreboard of {@value #DEFAULT_CAPACITY} ranges. */
    public SackScoreboard() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A scoreboard of {@code capacity} disjoint ranges.
     *
     * @param capacity ranges kept, at least 1
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public SackScoreboard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("SACK scoreboard capacity must be at least 1, not " + capacity);
        }
        starts = new int[capacity];
        ends = new int[capacity];
    }

    /**
     * Records one SACK block of an arriving ACK, after first forgetting everything below
     * {@code sndUna} (as {@link #acknowledge}).
     *
     * @param sndUna SND.UNA after this ACK's cumulative acknowledgement
     * @param sndNxt SND.NXT
     * @param start the block's left edge (first SACKed sequence number)
     * @param end the block's right edge (the sequence number after the last SACKed byte)
     * @return true if the block was within SND.UNA..SND.NXT and recorded; false if refused
     */
    public boolean update(int sndUna, int sndNxt, int start, int end) {
        acknowledge(sndUna);
        if (end - start <= 0 || end - sndUna <= 0 || sndNxt - end < 0 || sndNxt - sndUna < 0) {
            return false;
        }
        if (start - sndUna < 0) {
            start = sndUna;
        }
        insert(start, end);
        return true;
    }

    /**
     * Forgets the ranges the cumulative ACK now covers.
     *
     * @param sndUna the new SND.UNA
     */
    public void acknowledge(int sndUna) {
        if (count == 0) {
            una = sndUna;
            return;
        }
        if (sndUna - una < 0) {
            return;
        }
        una = sndUna;
        int drop = 0;
        while (drop < count && ends[drop] - sndUna <= 0) {
            sacked -= (ends[drop] - starts[drop]) & 0xFFFFFFFFL;
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(starts, drop, starts, 0, count - drop);
            System.arraycopy(ends, drop, ends, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && starts[0] - sndUna < 0) {
            sacked -= (sndUna - starts[0]) & 0xFFFFFFFFL;
            starts[0] = sndUna;
        }
    }

    private void insert(int start, int end) {
        // first range that ends at or after start (adjacent ranges merge)
        int i = 0;
        while (i < count && ends[i] - start < 0) {
            i++;
        }
        int j = i;
        int mergedStart = start;
        int mergedEnd = end;
        while (j < count && starts[j] - end <= 0) {
            if (starts[j] - mergedStart < 0) {
                mergedStart = starts[j];
            }
            if (ends[j] - mergedEnd > 0) {
                mergedEnd = ends[j];
            }
            sacked -= (ends[j] - starts[j]) & 0xFFFFFFFFL;
            j++;
        }
        int removed = j - i;
        if (removed == 0 && count == starts.length) {
            forgotten++;
            if (i == count) {
                return;
            }
            count--;
            sacked -= (ends[count] - starts[count]) & 0xFFFFFFFFL;
        }
        int shift = 1 - removed;
        if (shift != 0) {
            System.arraycopy(starts, j, starts, j + shift, count - j);
            System.arraycopy(ends, j, ends, j + shift, count - j);
            count += shift;
        }
        starts[i] = mergedStart;
        ends[i] = mergedEnd;
        sacked += (mergedEnd - mergedStart) & 0xFFFFFFFFL;
    }

    /** Forgets every range: after a retransmission timeout (RFC 2018 section 8, RFC 6675 section 5.1). */
    public void clear() {
        count = 0;
        sacked = 0;
    }

    /**
     * Whether the byte at {@code seq} was SACKed.
     *
     * @param seq a sequence number
     * @return true if a recorded range holds it
     */
    public boolean isSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (seq - starts[i] < 0) {
                return false;
            }
            if (seq - ends[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The bytes SACKed above SND.UNA.
     *
     * @return the sum of the ranges' lengths
     */
    public long sackedBytes() {
        return sacked;
    }

    /**
     * RFC 6675's {@code IsLost(seq)}: at least {@link #DUP_THRESH} discontiguous SACKed ranges lie
     * above {@code seq}, or more than {@code (DupThresh - 1) * mss} bytes above it were SACKed.
     *
     * @param seq a sequence number
     * @param mss the sender's MSS
     * @return whether the byte is deemed lost
     */
    public boolean isLost(int seq, int mss) {
        long bytes = 0;
        int ranges = 0;
        long threshold = (long) (DUP_THRESH - 1) * mss;
        for (int i = count - 1; i >= 0; i--) {
            if (ends[i] - seq <= 0) {
                break;
            }
            if (starts[i] - seq > 0) {
                ranges++;
                bytes += (ends[i] - starts[i]) & 0xFFFFFFFFL;
            } else {
                bytes += (ends[i] - seq - 1) & 0xFFFFFFFFL;
            }
            if (ranges >= DUP_THRESH || bytes > threshold) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds the first hole at or after {@code from}: unSACKed bytes below the highest SACKed
     * byte. On success read it with {@link #holeStart()} and {@link #holeEnd()}.
     *
     * @param from where to start looking (e.g. RFC 6675's HighRxt); SND.UNA if below it
     * @return true if there is such a hole
     */
    public boolean nextHole(int from) {
        int at = from - una < 0 ? una : from;
        for (int i = 0; i < count; i++) {
            if (at - starts[i] < 0) {
                holeStart = at;
                holeEnd = starts[i];
                return true;
            }
            if (at - ends[i] < 0) {
                at = ends[i];
            }
        }
        return false;
    }

    /**
     * The start of the hole {@link #nextHole} found.
     *
     * @return its first sequence number
     */
    public int holeStart() {
        return holeStart;
    }

    /**
     * The end of the hole {@link #nextHole} found.
     *
     * @return the sequence number of the SACKed byte after it
     */
    public int holeEnd() {
        return holeEnd;
    }

    /**
     * RFC 6675's {@code SetPipe()}: the bytes in SND.UNA..SND.NXT neither SACKed nor lost, plus the
     * unSACKed bytes that were retransmitted.
     *
     * @param sndNxt SND.NXT
     * @param retransmittedEnd the sequence number after the highest retransmitted byte (RFC 6675's
     *     HighRxt + 1); SND.UNA if nothing was retransmitted
     * @param mss the sender's MSS, for {@link #isLost}
     * @return bytes in flight
     */
    public long pipe(int sndNxt, int retransmittedEnd, int mss) {
        long pipe = 0;
        long threshold = (long) (DUP_THRESH - 1) * mss;
        long sackedAbove = sacked;
        int at = una;
        for (int i = 0; i <= count; i++) {
            int end = i < count ? starts[i] : sndNxt;
            if (end - at > 0) {
                boolean lost = count - i >= DUP_THRESH || sackedAbove > threshold;
                if (!lost) {
                    pipe += (end - at) & 0xFFFFFFFFL;
                }
                int rxtEnd = retransmittedEnd - end < 0 ? retransmittedEnd : end;
                if (rxtEnd - at > 0) {
                    pipe += (rxtEnd - at) & 0xFFFFFFFFL;
                }
            }
            if (i < count) {
                sackedAbove -= (ends[i] - starts[i]) & 0xFFFFFFFFL;
                at = ends[i];
            }
        }
        return pipe;
    }

    /**
     * The highest SACKed sequence number plus one (the right edge of the top range).
     *
     * @return the edge; SND.UNA when nothing is SACKed
     */
    public int highestSackedEnd() {
        return count == 0 ? una : ends[count - 1];
    }

    /**
     * The recorded disjoint ranges.
     *
     * @return between 0 and {@link #capacity()}
     */
    public int ranges() {
        return count;
    }

    /**
     * The start of range {@code i}, in ascending sequence order.
     *
     * @param i from 0 to {@link #ranges()} - 1
     * @return its first sequence number
     */
    public int rangeStart(int i) {
        return starts[checkIndex(i)];
    }

    /**
     * The end of range {@code i}.
     *
     * @param i from 0 to {@link #ranges()} - 1
     * @return the sequence number after its last byte
     */
    public int rangeEnd(int i) {
        return ends[checkIndex(i)];
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("SACK range " + i + " of " + count);
        }
        return i;
    }

    /**
     * How many disjoint ranges fit.
     *
     * @return the capacity
     */
    public int capacity() {
        return starts.length;
    }

    /**
     * Ranges dropped because the arrays were full.
     *
     * @return the count since creation
     */
    public long forgottenRanges() {
        return forgotten;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SackScoreboard[una=").append(Integer.toUnsignedString(una));
        for (int i = 0; i < count; i++) {
            s.append(' ').append(Integer.toUnsignedString(starts[i])).append('-').append(Integer.toUnsignedString(ends[i]));
        }
        return s.append(']').toString();
    }
}
