package io.jpair.ip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the one's-complement of the one's-complement sum of 16-bit
 * big-endian words, and the pseudo-header sums of UDP, TCP and ICMPv6 (RFC 768, RFC 8200
 * section 8.1).
 *
 * <p>Partial sums are {@code long}s that may be added together and folded once at the end
 * ({@link #fold}); {@link #checksum} complements. A received header or message is valid when the
 * checksum over it (checksum field included, plus the pseudo-header) is 0. Works on any buffer
 * order; reads 4 bytes at a time; allocates nothing.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * The unfolded sum of the 16-bit big-endian words of {@code buffer[offset, offset + length)};
     * an odd last byte counts as its high half.
     *
     * @param buffer the bytes
     * @param offset absolute index
     * @param length count
     * @return a partial sum
     */
    public static long sum(ByteBuffer buffer, int offset, int length) {
        long sum = 0;
        int i = offset;
        int end = offset + length;
        boolean big = buffer.order() == ByteOrder.BIG_ENDIAN;
        while (end - i >= 4) {
            int word = buffer.getInt(i);
            sum += (big ? word : Integer.reverseBytes(word)) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += (buffer.get(i) & 0xFF) << 8 | (buffer.get(i + 1) & 0xFF);
            i += 2;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Folds a partial sum into 16 bits (end-around carry).
     *
     * @param sum a partial sum
     * @return 0..0xFFFF
     */
    public static int fold(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /**
     * The checksum of {@code buffer[offset, offset + length)} plus a partial sum.
     *
     * @param buffer the bytes
     * @param offset absolute index
     * @param length count
     * @param initial a partial sum to include (a pseudo-header), or 0
     * @return the complemented folded sum; 0 over data that includes a correct checksum
     */
    public static int checksum(ByteBuffer buffer, int offset, int length, long initial) {
        return ~fold(initial + sum(buffer, offset, length)) & 0xFFFF;
    }

    /**
     * The IPv4 pseudo-header sum (source, destination, zero, protocol, upper-layer length).
     *
     * @param source source address
     * @param destination destination address
     * @param protocol IP protocol number
     * @param length upper-layer length in bytes
     * @return a partial sum
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
     * @return a partial sum
     */
    public static long pseudoHeaderIpv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow,
            int nextHeader, int length) {
        return halves(sourceHigh) + halves(sourceLow) + halves(destinationHigh) + halves(destinationLow)
            + (length & 0xFFFF_FFFFL) + nextHeader;
    }

    private static long halves(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }
}
