package io.jpair.tuntap.offload;

import io.jpair.wire.InternetChecksum;
import java.nio.ByteBuffer;

/**
 * Cuts a TCP or UDP GSO super-packet read from a TUN device with a {@link VirtioNetHeader} into
 * wire-size IP packets, and completes the partial checksums the kernel leaves with
 * {@link VirtioNetHeader#F_NEEDS_CSUM} (wireguard-go's {@code gsoSplit} and
 * {@code handleVirtioRead}).
 *
 * <p>For each segment it copies the IP and L4 headers and {@code gso_size} bytes of payload (less
 * for the last) into the caller's buffer, then fixes: the IPv4 total length, identification
 * ({@code id + i}) and header checksum, or the IPv6 payload length; the TCP sequence number
 * ({@code seq + i * gso_size}), with FIN and PSH only on the last segment and CWR only on the
 * first (as {@code tcp_gso_segment}); the UDP length; and the full TCP/UDP checksum with its
 * pseudo-header. The header length is recomputed from the packet ({@code hdr_len} is not
 * trusted). A non-GSO packet is copied whole, and its checksum completed when
 * {@link VirtioNetHeader#F_NEEDS_CSUM} is set.
 *
 * <p>Supported: IPv4 without a fragment offset, IPv6 whose next header is TCP or UDP (no extension
 * headers, as the kernel's tun GSO never produces them for these types). Anything else returns a
 * negative result; nothing is thrown on the packet path. Allocation-free, stateless, thread-safe.
 */
public final class GsoSplitter {
    /** Result: the packet is malformed or of an unsupported GSO kind. */
    public static final int MALFORMED = -1;
    /** Result: an output buffer is too small for a segment. */
    public static final int BUFFER_TOO_SMALL = -2;
    /** Result: more segments than output buffers. */
    public static final int TOO_MANY_SEGMENTS = -3;

    /**
     * The most segments one super-packet may carry: Linux's {@code UDP_MAX_SEGMENTS} (128), and
     * twice what its own TSO makes of 64 KiB at a 1,460-byte MSS. More is dropped as malformed,
     * so one 64 KiB write cannot make the reader deliver tens of thousands of packets.
     */
    public static final int MAX_SEGMENTS = 128;
    /** The smallest TCP segment size accepted: Linux's {@code TCP_MIN_MSS}. */
    public static final int MIN_TCP_GSO_SIZE = 88;
    /** The smallest UDP segment size accepted (a UDP datagram of 8 payload bytes). */
    public static final int MIN_UDP_GSO_SIZE = 8;

    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int TCP_FIN = 0x01;
    static final int TCP_PSH = 0x08;
    static final int TCP_CWR = 0x80;

    private GsoSplitter() {
    }

    /**
     * How many packets {@link #split} will produce.
     *
     * @param header the virtio header (wrapped)
     * @param packet the super-packet
     * @param packetOffset where its IP header starts
     * @param packetLength its length
     * @return the segment count (1 for a non-GSO packet), or {@link #MALFORMED} (also for a
     *     segment size below {@link #MIN_TCP_GSO_SIZE}/{@link #MIN_UDP_GSO_SIZE} or more than
     *     {@link #MAX_SEGMENTS} segments)
     */
    public static int segmentCount(VirtioNetHeader header, ByteBuffer packet, int packetOffset, int packetLength) {
        int gsoType = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            return packetLength > 0 ? 1 : MALFORMED;
        }
        return segments(gsoType, header.gsoSize(), headerLength(gsoType, packet, packetOffset, packetLength),
            packetLength);
    }

    /** The segments of a GSO packet, or {@link #MALFORMED} for a size or count the kernel never makes. */
    private static int segments(int gsoType, int gsoSize, int headers, int packetLength) {
        int minimum = gsoType == VirtioNetHeader.GSO_UDP_L4 ? MIN_UDP_GSO_SIZE : MIN_TCP_GSO_SIZE;
        int payload = packetLength - headers;
        if (headers < 0 || gsoSize < minimum || payload <= 0) {
            return MALFORMED;
        }
        int count = (payload + gsoSize - 1) / gsoSize;
        return count <= MAX_SEGMENTS ? count : MALFORMED;
    }

    /**
     * Splits one packet into {@code out[first, ...)}, each segment written at {@code outOffset};
     * {@code sizes[first + i]} receives segment {@code i}'s length and each buffer's position and
     * limit are set to the segment ({@code outOffset}, {@code outOffset + size}). The source is not
     * modified.
     *
     * @param header the virtio header of the packet (wrapped)
     * @param packet the super-packet
     * @param packetOffset where its IP header starts
     * @param packetLength its length
     * @param out the destination buffers
     * @param sizes the destination lengths
     * @param first the first destination index
     * @param outOffset where each segment starts in its buffer (the caller's head-room)
     * @return the number of packets written, or {@link #MALFORMED}, {@link #BUFFER_TOO_SMALL} or
     *     {@link #TOO_MANY_SEGMENTS} (then the destinations may be partly written)
     */
    public static int split(VirtioNetHeader header, ByteBuffer packet, int packetOffset, int packetLength,
            ByteBuffer[] out, int[] sizes, int first, int outOffset) {
        int gsoType = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            if (packetLength <= 0) {
                return MALFORMED;
            }
            if (first >= out.length) {
                return TOO_MANY_SEGMENTS;
            }
            ByteBuffer dst = out[first];
            if (outOffset + packetLength > dst.capacity()) {
                return BUFFER_TOO_SMALL;
            }
            dst.limit(dst.capacity());
            dst.put(outOffset, packet, packetOffset, packetLength);
            if ((header.flags() & VirtioNetHeader.F_NEEDS_CSUM) != 0
                    && !completeChecksum(dst, outOffset, packetLength, header.csumStart(), header.csumOffset())) {
                return MALFORMED;
            }
            sizes[first] = packetLength;
            dst.limit(outOffset + packetLength).position(outOffset);
            return 1;
        }
        int headers = headerLength(gsoType, packet, packetOffset, packetLength);
        int gsoSize = header.gsoSize();
        int segments = segments(gsoType, gsoSize, headers, packetLength);
        if (segments < 0) {
            return MALFORMED;
        }
        if (first + segments > out.length) {
            return TOO_MANY_SEGMENTS;
        }
        for (int i = 0; i < segments; i++) {
            int total = writeSegment(gsoType, gsoSize, headers, packet, packetOffset, packetLength, i, out[first + i],
                outOffset);
            if (total < 0) {
                return total;
            }
            sizes[first + i] = total;
        }
        return segments;
    }

    /**
     * Writes segment {@code index} of a packet into {@code dst} at {@code dstOffset} and sets
     * {@code dst}'s position and limit to it: one step of {@link #split}, for delivering segments
     * one at a time through a single buffer. For a non-GSO packet, index 0 is the whole packet
     * with its checksum completed.
     *
     * @param header the virtio header of the packet (wrapped)
     * @param packet the super-packet
     * @param packetOffset where its IP header starts
     * @param packetLength its length
     * @param index the segment, {@code 0 <= index < segmentCount(...)}
     * @param dst the destination
     * @param dstOffset where the segment starts in {@code dst}
     * @return the segment length, or {@link #MALFORMED} / {@link #BUFFER_TOO_SMALL}
     */
    public static int segment(VirtioNetHeader header, ByteBuffer packet, int packetOffset, int packetLength, int index,
            ByteBuffer dst, int dstOffset) {
        int gsoType = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            if (packetLength <= 0 || index != 0) {
                return MALFORMED;
            }
            if (dstOffset + packetLength > dst.capacity()) {
                return BUFFER_TOO_SMALL;
            }
            dst.limit(dst.capacity());
            dst.put(dstOffset, packet, packetOffset, packetLength);
            if ((header.flags() & VirtioNetHeader.F_NEEDS_CSUM) != 0
                    && !completeChecksum(dst, dstOffset, packetLength, header.csumStart(), header.csumOffset())) {
                return MALFORMED;
            }
            dst.limit(dstOffset + packetLength).position(dstOffset);
            return packetLength;
        }
        int headers = headerLength(gsoType, packet, packetOffset, packetLength);
        int gsoSize = header.gsoSize();
        if (index < 0 || index >= segments(gsoType, gsoSize, headers, packetLength)) {
            return MALFORMED;
        }
        return writeSegment(gsoType, gsoSize, headers, packet, packetOffset, packetLength, index, dst, dstOffset);
    }

    private static int writeSegment(int gsoType, int gsoSize, int headers, ByteBuffer packet, int packetOffset,
            int packetLength, int i, ByteBuffer dst, int outOffset) {
        boolean ipv6 = (packet.get(packetOffset) & 0xF0) == 0x60;
        int ipLength = ipv6 ? 40 : (packet.get(packetOffset) & 0x0F) * 4;
        boolean tcp = gsoType != VirtioNetHeader.GSO_UDP_L4;
        int protocol = tcp ? PROTO_TCP : PROTO_UDP;
        int payload = packetLength - headers;
        int segments = (payload + gsoSize - 1) / gsoSize;
        int chunk = Math.min(gsoSize, payload - i * gsoSize);
        int total = headers + chunk;
        if (outOffset + total > dst.capacity()) {
            return BUFFER_TOO_SMALL;
        }
        int l4 = outOffset + ipLength;
        dst.limit(dst.capacity());
        dst.put(outOffset, packet, packetOffset, headers);
        dst.put(outOffset + headers, packet, packetOffset + headers + i * gsoSize, chunk);
        if (ipv6) {
            putU16(dst, outOffset + 4, total - 40);
        } else {
            putU16(dst, outOffset + 2, total);
            putU16(dst, outOffset + 4, u16(packet, packetOffset + 4) + i);
            putU16(dst, outOffset + 10, 0);
            putU16(dst, outOffset + 10, InternetChecksum.finish(InternetChecksum.sum(dst, outOffset, ipLength, 0)));
        }
        int l4Length = total - ipLength;
        int checksumAt;
        if (tcp) {
            putU32(dst, l4 + 4, u32(packet, packetOffset + ipLength + 4) + (long) i * gsoSize);
            int flags = dst.get(l4 + 13) & 0xFF;
            if (i < segments - 1) {
                flags &= ~(TCP_FIN | TCP_PSH);
            }
            if (i > 0) {
                flags &= ~TCP_CWR;
            }
            dst.put(l4 + 13, (byte) flags);
            checksumAt = l4 + 16;
        } else {
            putU16(dst, l4 + 4, l4Length);
            checksumAt = l4 + 6;
        }
        putU16(dst, checksumAt, 0);
        // The L4 header length is even, so the payload's words line up: sum it from the source,
        // whose byte order the caller may have chosen for speed (a little-endian view sums ~15%
        // faster on x86 than a big-endian one).
        int sum = InternetChecksum.pseudoHeaderSum(dst, outOffset, ipv6, protocol, l4Length);
        sum = InternetChecksum.sum(dst, l4, headers - ipLength, sum);
        sum = InternetChecksum.sum(packet, packetOffset + headers + i * gsoSize, chunk, sum);
        int checksum = InternetChecksum.finish(sum);
        if (!tcp && checksum == 0) {
            checksum = 0xFFFF;
        }
        putU16(dst, checksumAt, checksum);
        dst.limit(outOffset + total).position(outOffset);
        return total;
    }

    /**
     * Completes a partial checksum in place ({@link VirtioNetHeader#F_NEEDS_CSUM}): the field at
     * {@code csumStart + csumOffset} holds the pseudo-header sum; the checksum of
     * {@code [csumStart, length)} replaces it.
     *
     * @param packet the packet
     * @param offset where the packet starts
     * @param length its length
     * @param csumStart from the virtio header
     * @param csumOffset from the virtio header
     * @return false if the offsets point outside the packet
     */
    public static boolean completeChecksum(ByteBuffer packet, int offset, int length, int csumStart, int csumOffset) {
        if (csumStart + csumOffset + 2 > length) {
            return false;
        }
        int checksum = InternetChecksum.finish(InternetChecksum.sum(packet, offset + csumStart, length - csumStart, 0));
        // As the kernel's skb_checksum_help: 0 goes out as 0xFFFF (the same in one's complement;
        // for UDP, 0 would mean "no checksum").
        putU16(packet, offset + csumStart + csumOffset, checksum == 0 ? 0xFFFF : checksum);
        return true;
    }

    /**
     * The IP plus L4 header length of a GSO packet, checked against its type, or -1.
     */
    static int headerLength(int gsoType, ByteBuffer packet, int offset, int length) {
        if (length < 20) {
            return -1;
        }
        int version = (packet.get(offset) & 0xF0) >>> 4;
        int ipLength;
        int protocol;
        if (version == 4) {
            if (gsoType == VirtioNetHeader.GSO_TCPV6) {
                return -1;
            }
            ipLength = (packet.get(offset) & 0x0F) * 4;
            protocol = packet.get(offset + 9) & 0xFF;
            if (ipLength < 20 || (u16(packet, offset + 6) & 0x3FFF) != 0) {
                return -1;
            }
        } else if (version == 6) {
            if (gsoType == VirtioNetHeader.GSO_TCPV4 || length < 40) {
                return -1;
            }
            ipLength = 40;
            protocol = packet.get(offset + 6) & 0xFF;
        } else {
            return -1;
        }
        boolean tcp = gsoType == VirtioNetHeader.GSO_TCPV4 || gsoType == VirtioNetHeader.GSO_TCPV6;
        if (tcp) {
            if (protocol != PROTO_TCP || length < ipLength + 20) {
                return -1;
            }
            int tcpLength = ((packet.get(offset + ipLength + 12) & 0xF0) >>> 4) * 4;
            if (tcpLength < 20 || length < ipLength + tcpLength) {
                return -1;
            }
            return ipLength + tcpLength;
        }
        if (gsoType == VirtioNetHeader.GSO_UDP_L4 && protocol == PROTO_UDP && length >= ipLength + 8) {
            return ipLength + 8;
        }
        return -1;
    }

    static int u16(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) << 8 | (buffer.get(index + 1) & 0xFF);
    }

    static void putU16(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) (value >>> 8));
        buffer.put(index + 1, (byte) value);
    }

    static long u32(ByteBuffer buffer, int index) {
        return (long) u16(buffer, index) << 16 | u16(buffer, index + 2);
    }

    static void putU32(ByteBuffer buffer, int index, long value) {
        putU16(buffer, index, (int) (value >>> 16) & 0xFFFF);
        putU16(buffer, index + 2, (int) value & 0xFFFF);
    }
}
