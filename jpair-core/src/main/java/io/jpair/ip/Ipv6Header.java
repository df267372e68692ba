package io.jpair.ip;

import io.jpair.wire.NetworkOrder;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A view over the fixed IPv6 header (RFC 8200) in a {@link ByteBuffer}: no copy, retargeted with
 * {@link #wrap}, network byte order. Addresses are two {@code long}s, the high and the low 64 bits.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                    Source Address (128 bits)                  +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                 Destination Address (128 bits)                +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Extension headers are not part of this view; {@link IPProtocol} walks them.
 */
public final class Ipv6Header {
    /** Offset of version, traffic class and flow label. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the payload length. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next header. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 24;
    /** Length of the fixed header. */
    public static final int LENGTH = 40;
    /** Extension header: hop-by-hop options. */
    public static final int HOP_BY_HOP = 0;
    /** Extension header: routing. */
    public static final int ROUTING = 43;
    /** Extension header: fragment. */
    public static final int FRAGMENT = 44;
    /** Extension header: authentication. */
    public static final int AUTHENTICATION = 51;
    /** No next header. */
    public static final int NO_NEXT_HEADER = 59;
    /** Extension header: destination options. */
    public static final int DESTINATION_OPTIONS = 60;
    /** High half of ff02::1 (all nodes, link-local). */
    public static final long ALL_NODES_HIGH = 0xFF02_0000_0000_0000L;
    /** Low half of ff02::1. */
    public static final long ALL_NODES_LOW = 1L;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a header: call {@link #wrap} first. */
    public Ipv6Header() {
    }

    /**
     * Points the view at a header.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public Ipv6Header wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The buffer viewed.
     *
     * @return the buffer
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * The offset of the header.
     *
     * @return absolute index
     */
    public int offset() {
        return offset;
    }

    /**
     * The version (high nibble).
     *
     * @return 6 for a valid header
     */
    public int version() {
        return NetworkOrder.u8(buffer, offset) >>> 4;
    }

    /**
     * The traffic class.
     *
     * @return 0..255
     */
    public int trafficClass() {
        return NetworkOrder.i32(buffer, offset) >>> 20 & 0xFF;
    }

    /**
     * The flow label.
     *
     * @return 0..0xFFFFF
     */
    public int flowLabel() {
        return NetworkOrder.i32(buffer, offset) & 0xF_FFFF;
    }

    /**
     * Sets version 6, a traffic class and a flow label.
     *
     * @param trafficClass 0..255
     * @param flowLabel 0..0xFFFFF
     * @return this
     */
    public Ipv6Header versionClassFlow(int trafficClass, int flowLabel) {
        NetworkOrder.i32(buffer, offset, 6 << 28 | (trafficClass & 0xFF) << 20 | (flowLabel & 0xF_FFFF));
        return this;
    }

    /**
     * The payload length: bytes after the fixed header (extension headers included).
     *
     * @return 0..65535
     */
    public int payloadLength() {
        return NetworkOrder.u16(buffer, offset + PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * Sets the payload length.
     *
     * @param length bytes
     * @return this
     */
    public Ipv6Header payloadLength(int length) {
        NetworkOrder.u16(buffer, offset + PAYLOAD_LENGTH_OFFSET, length);
        return this;
    }

    /**
     * The next header.
     *
     * @return 0..255
     */
    public int nextHeader() {
        return NetworkOrder.u8(buffer, offset + NEXT_HEADER_OFFSET);
    }

    /**
     * Sets the next header.
     *
     * @param nextHeader 0..255
     * @return this
     */
    public Ipv6Header nextHeader(int nextHeader) {
        NetworkOrder.u8(buffer, offset + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    /**
     * The hop limit.
     *
     * @return 0..255
     */
    public int hopLimit() {
        return NetworkOrder.u8(buffer, offset + HOP_LIMIT_OFFSET);
    }

    /**
     * Sets the hop limit.
     *
     * @param hopLimit 0..255
     * @return this
     */
    public Ipv6Header hopLimit(int hopLimit) {
        NetworkOrder.u8(buffer, offset + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    /**
     * The source address, high 64 bits.
     *
     * @return the bits
     */
    public long sourceHigh() {
        return NetworkOrder.i64(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * The source address, low 64 bits.
     *
     * @return the bits
     */
    public long sourceLow() {
        return NetworkOrder.i64(buffer, offset + SOURCE_OFFSET + 8);
    }

    /**
     * Sets the source address.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return this
     */
    public Ipv6Header source(long high, long low) {
        NetworkOrder.i64(buffer, offset + SOURCE_OFFSET, high);
        NetworkOrder.i64(buffer, offset + SOURCE_OFFSET + 8, low);
        return this;
    }

    /**
     * The destination address, high 64 bits.
     *
     * @return the bits
     */
    public long destinationHigh() {
        return NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET);
    }

    /**
     * The destination address, low 64 bits.
     *
     * @return the bits
     */
    public long destinationLow() {
        return NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET + 8);
    }

    /**
     * Sets the destination address.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return this
     */
    public Ipv6Header destination(long high, long low) {
        NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET, high);
        NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET + 8, low);
        return this;
    }

    /**
     * Writes a complete fixed header (the builder form): traffic class and flow label 0.
     *
     * @param buffer the buffer, with room for 40 bytes at {@code offset}
     * @param offset absolute index
     * @param payloadLength bytes after the fixed header
     * @param nextHeader payload protocol number
     * @param hopLimit hop limit
     * @param sourceHigh source, high 64 bits
     * @param sourceLow source, low 64 bits
     * @param destinationHigh destination, high 64 bits
     * @param destinationLow destination, low 64 bits
     * @return {@value #LENGTH}, the header length
     */
    public static int write(ByteBuffer buffer, int offset, int payloadLength, int nextHeader, int hopLimit,
            long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        NetworkOrder.i32(buffer, offset, 6 << 28);
        NetworkOrder.u16(buffer, offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        NetworkOrder.u8(buffer, offset + NEXT_HEADER_OFFSET, nextHeader);
        NetworkOrder.u8(buffer, offset + HOP_LIMIT_OFFSET, hopLimit);
        NetworkOrder.i64(buffer, offset + SOURCE_OFFSET, sourceHigh);
        NetworkOrder.i64(buffer, offset + SOURCE_OFFSET + 8, sourceLow);
        NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET, destinationHigh);
        NetworkOrder.i64(buffer, offset + DESTINATION_OFFSET + 8, destinationLow);
        return LENGTH;
    }

    /**
     * Whether an address is multicast (ff00::/8).
     *
     * @param high the high 64 bits
     * @return true for multicast
     */
    public static boolean isMulticast(long high) {
        return (high >>> 56) == 0xFF;
    }

    /**
     * The solicited-node multicast address of a unicast address (RFC 4291 2.7.1),
     * ff02::1:ffXX:XXXX: its high half is {@link #ALL_NODES_HIGH}.
     *
     * @param low the low 64 bits of the unicast address
     * @return the low 64 bits of its solicited-node address
     */
    public static long solicitedNodeLow(long low) {
        return 0x0000_0001_FF00_0000L | (low & 0xFF_FFFFL);
    }

    /**
     * An address as an {@link Inet6Address} (allocates).
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return the address
     */
    public static Inet6Address toInetAddress(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    /**
     * The high 64 bits of an IPv6 address.
     *
     * @param address an IPv6 address
     * @return the bits
     * @throws IllegalArgumentException for an IPv4 address
     */
    public static long high(InetAddress address) {
        return half(address, 0);
    }

    /**
     * The low 64 bits of an IPv6 address.
     *
     * @param address an IPv6 address
     * @return the bits
     * @throws IllegalArgumentException for an IPv4 address
     */
    public static long low(InetAddress address) {
        return half(address, 8);
    }

    private static long half(InetAddress address, int from) {
        if (!(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IPv6 address: " + address);
        }
        byte[] b = address.getAddress();
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }
}
