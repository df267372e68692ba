package io.jpair.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
 * big-endian 16-bit words, as IPv4, ICMP, TCP and UDP use it, plus the pseudo-header sums of UDP,
 * TCP and ICMPv6 (RFC 768, RFC 8200 section 8.1).
 *
 * <p>Two forms of partial sum meet here:
 * <ul>
 *   <li>a folded sum, an {@code int} 0..0xFFFF, not complemented: {@link #sum} continues one
 *       ({@code sum(..., sum(..., initial))}), {@link #finish} complements it, and {@link #verifies}
 *       checks a region whose checksum field is filled in;</li>
 *   <li>an unfolded sum, a non-negative {@code long} ({@link #pseudoHeaderIpv4},
 *       {@link #pseudoHeaderIpv6}): such sums may be added together, then handed to
 *       {@link #checksum} as its initial value, or folded with {@link #fold}.</li>
 * </ul>
 * A received header or message is valid when {@link #checksum} over it (checksum field included,
 * plus the pseudo-header) is 0.
 *
 * <p>Sums are exact: a folded sum is 0 only when every word summed is 0, otherwise the one value
 * in 1..0xFFFF congruent to the sum modulo 0xFFFF. Bulk data is summed 64 then 32 bytes per step
 * in four independent lanes, the rest 16, 8, 4, then 2 bytes at a time. The result does not
 * depend on the buffer's {@link ByteBuffer#order()} (RFC 1071's byte-order independence: a sum of
 * little-endian words is the byte-swapped sum of the big-endian ones), so a little-endian view
 * saves the byte swaps on x86. Absolute indices; positions and limits are not moved. Allocation-free, stateless,
 * thread-safe.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * The ones' complement sum of {@code buffer[offset, offset + length)} added to {@code initial}.
     *
     * @param buffer the bytes, in any byte order
     * @param offset the first byte (absolute index)
     * @param length how many; an odd length pads the last byte with a zero
     * @param initial a folded sum to continue, 0 to start
     * @return the folded sum, 0..0xFFFF, not complemented
     */
    public static int sum(ByteBuffer buffer, int offset, int length, int initial) {
        int i = offset;
        int end = offset + length;
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        // Four independent sums of 32-bit halves, 64 then 32 bytes per step: no carries to track
        // until the fold (at most 2^42 for 64 KiB), and enough instruction-level parallelism for
        // about twice the speed of a two-sum loop (GSO split of a 58 KB super-packet, JIT-warm:
        // 7.1 -> 4.5 us).
        while (end - i >= 64) {
            long v = buffer.getLong(i);
            long w = buffer.getLong(i + 8);
            long x = buffer.getLong(i + 16);
            long y = buffer.getLong(i + 24);
            long v2 = buffer.getLong(i + 32);
            long w2 = buffer.getLong(i + 40);
            long x2 = buffer.getLong(i + 48);
            long y2 = buffer.getLong(i + 56);
            a += (v >>> 32) + (v & 0xFFFFFFFFL) + (v2 >>> 32) + (v2 & 0xFFFFFFFFL);
            b += (w >>> 32) + (w & 0xFFFFFFFFL) + (w2 >>> 32) + (w2 & 0xFFFFFFFFL);
            c += (x >>> 32) + (x & 0xFFFFFFFFL) + (x2 >>> 32) + (x2 & 0xFFFFFFFFL);
            d += (y >>> 32) + (y & 0xFFFFFFFFL) + (y2 >>> 32) + (y2 & 0xFFFFFFFFL);
            i += 64;
        }
        while (end - i >= 32) {
            long v = buffer.getLong(i);
            long w = buffer.getLong(i + 8);
            long x = buffer.getLong(i + 16);
            long y = buffer.getLong(i + 24);
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
            b += (w >>> 32) + (w & 0xFFFFFFFFL);
            c += (x >>> 32) + (x & 0xFFFFFFFFL);
            d += (y >>> 32) + (y & 0xFFFFFFFFL);
            i += 32;
        }
        a += c;
        b += d;
        if (end - i >= 16) {
            long v = buffer.getLong(i);
            long w = buffer.getLong(i + 8);
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
            b += (w >>> 32) + (w & 0xFFFFFFFFL);
            i += 16;
        }
        if (end - i >= 8) {
            long v = buffer.getLong(i);
            a += (v >>> 32) + (v & 0xFFFFFFFFL);
            i += 8;
        }
        if (end - i >= 4) {
            // An IPv4 header without options (20 bytes) ends here, with no byte-wise tail.
            b += buffer.getInt(i) & 0xFFFFFFFFL;
            i += 4;
        }
        int bulk = fold(a + b);
        if (buffer.order() == ByteOrder.LITTLE_ENDIAN) {
            bulk = Integer.reverseBytes(bulk) >>> 16;
        }
        long s = bulk + (long) initial;
        while (end - i >= 2) {
            s += (buffer.get(i) & 0xFF) << 8 | (buffer.get(i + 1) & 0xFF);
            i += 2;
        }
        if (i < end) {
            s += (buffer.get(i) & 0xFF) << 8;
        }
        return fold(s);
    }

    /**
     * Folds a wide sum to 16 bits with end-around carry.
     *
     * @param sum an unfolded sum of 16-bit words, read as unsigned
     * @return 0..0xFFFF; 0 only for 0
     */
    public static int fold(long sum) {
        long s = (sum & 0xFFFFFFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /**
     * The checksum field value for a folded sum: its ones' complement.
     *
     * @param sum a folded sum
     * @return {@code ~sum & 0xFFFF}
     */
    public static int finish(int sum) {
        return ~sum & 0xFFFF;
    }

    /**
     * The checksum of {@code buffer[offset, offset + length)} plus an unfolded partial sum:
     * {@code finish(sum(buffer, offset, length, fold(initial)))}.
     *
     * @param buffer the bytes, in any byte order
     * @param offset the first byte (absolute index)
     * @param length how many; an odd length pads the last byte with a zero
     * @param initial an unfolded partial sum to include (a pseudo-header), or 0
     * @return the complemented folded sum; 0 over data that includes a correct checksum
     */
    public static int checksum(ByteBuffer buffer, int offset, int length, long initial) {
        return finish(sum(buffer, offset, length, fold(initial)));
    }

    /**
     * Whether a region whose checksum field is filled in verifies: its sum is 0xFFFF.
     *
     * @param buffer the bytes, in any byte order
     * @param offset the first byte (absolute index)
     * @param length how many
     * @param initial the folded pseudo-header sum, or 0 (IPv4 header)
     * @return true if the checksum is correct
     */
    public static boolean verifies(ByteBuffer buffer, int offset, int length, int initial) {
        return sum(buffer, offset, length, initial) == 0xFFFF;
    }

    /**
     * The IPv4 pseudo-header sum (source, destination, zero, protocol, upper-layer length).
     *
     * @param source source address
     * @param destination destination address
     * @param protocol IP protocol number
     * @param length upper-layer length in bytes
     * @return an unfolded partial sum
     */
    public static long pseudoHeaderIpv4(int source, int destination, int protocol, int length) {
        return (source & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * The IPv6 pseudo-header sum (source, destination, 32-bit upper-layer length, next header).
     *
     * @param sourceHigh source, high 64 bits
     * @param sourceLow source, low 64 bits
     * @param destinationHigh destination, high 64 bits
     * @param destinationLow destination, low 64 bits
     * @param nextHeader the upper-layer protocol number
     * @param length upper-layer length in bytes
     * @return an unfolded partial sum
     */
    public static long pseudoHeaderIpv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
            int nextHeader, int length) {
        return halves(sourceHigh) + halves(sourceLow) + halves(destinationHigh) + halves(destinationLow)
            + (length & 0xFFFF_FFFFL) + nextHeader;
    }

    /**
     * The TCP/UDP pseudo-header sum of an IPv4 or IPv6 packet read from its IP header: source and
     * destination addresses, the protocol and the L4 length.
     *
     * @param buffer the packet, in any byte order
     * @param ipOffset where the IP header starts (absolute index)
     * @param ipv6 true for IPv6 (addresses at 8 and 24, 16 bytes each), false for IPv4 (12 and 16)
     * @param protocol the L4 protocol number (6 or 17)
     * @param l4Length the L4 header plus payload, bytes
     * @return the folded sum, not complemented
     */
    public static int pseudoHeaderSum(ByteBuffer buffer, int ipOffset, boolean ipv6, int protocol, int l4Length) {
        int initial = fold((long) protocol + l4Length);
        return ipv6 ? sum(buffer, ipOffset + 8, 32, initial) : sum(buffer, ipOffset + 12, 8, initial);
    }

    private static long halves(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }
}
