package io.jpair.ip;

import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A view over an IPv4 header (RFC 791) in a {@link ByteBuffer}: no copy, retargeted with
 * {@link #wrap}, fields read and written in network byte order. Addresses are {@code int}s, first
 * octet most significant ({@code 10.77.0.2} is {@code 0x0A4D0002}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Unlike Twisted's {@code IPHeader}, the version is the high nibble and the IHL the low one
 * ({@code 0x45} is version 4, 20-byte header); Twisted swapped them.
 */
public final class Ipv4Header {
    /** Offset of version (high nibble) and IHL (low nibble). */
    public static final int VERSION_IHL_OFFSET = 0;
    /** Offset of the type of service (DSCP and ECN). */
    public static final int TOS_OFFSET = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of flags (3 bits) and fragment offset (13 bits). */
    public static final int FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;
    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;
    /** Largest total length. */
    public static final int MAX_TOTAL_LENGTH = 65535;
    /** Flag bit: don't fragment. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    /** Flag bit: more fragments. */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    /** 255.255.255.255. */
    public static final int BROADCAST = 0xFFFF_FFFF;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a header: call {@link #wrap} first. */
    public Ipv4Header() {
    }

    /**
     * Points the view at a header.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public Ipv4Header wrap(ByteBuffer buffer, int offset) {
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
     * The version (high nibble of byte 0).
     *
     * @return 4 for a valid header
     */
    public int version() {
        return NetworkOrder.u8(buffer, offset) >>> 4;
    }

    /**
     * The internet header length in 32-bit words (low nibble of byte 0).
     *
     * @return 5..15 for a valid header
     */
    public int ihl() {
        return NetworkOrder.u8(buffer, offset) & 0x0F;
    }

    /**
     * The header length in bytes, options included ({@link #ihl()} times 4).
     *
     * @return 20..60 for a valid header
     */
    public int headerLength() {
        return ihl() * 4;
    }

    /**
     * Sets version 4 and a header length.
     *
     * @param headerLength bytes, a multiple of 4 from 20 to 60
     * @return this
     */
    public Ipv4Header versionAndHeaderLength(int headerLength) {
        NetworkOrder.u8(buffer, offset, 0x40 | (headerLength / 4));
        return this;
    }

    /**
     * The type of service byte.
     *
     * @return 0..255
     */
    public int tos() {
        return NetworkOrder.u8(buffer, offset + TOS_OFFSET);
    }

    /**
     * Sets the type of service byte.
     *
     * @param tos 0..255
     * @return this
     */
    public Ipv4Header tos(int tos) {
        NetworkOrder.u8(buffer, offset + TOS_OFFSET, tos);
        return this;
    }

    /**
     * The total length: header and payload, bytes.
     *
     * @return 0..65535
     */
    public int totalLength() {
        return NetworkOrder.u16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    /**
     * Sets the total length.
     *
     * @param length bytes
     * @return this
     */
    public Ipv4Header totalLength(int length) {
        NetworkOrder.u16(buffer, offset + TOTAL_LENGTH_OFFSET, length);
        return this;
    }

    /**
     * The identification.
     *
     * @return 0..65535
     */
    public int identification() {
        return NetworkOrder.u16(buffer, offset + IDENTIFICATION_OFFSET);
    }

    /**
     * Sets the identification.
     *
     * @param id 0..65535
     * @return this
     */
    public Ipv4Header identification(int id) {
        NetworkOrder.u16(buffer, offset + IDENTIFICATION_OFFSET, id);
        return this;
    }

    /**
     * The flags and fragment offset field.
     *
     * @return 0..65535
     */
    public int fragmentField() {
        return NetworkOrder.u16(buffer, offset + FRAGMENT_OFFSET);
    }

    /**
     * Sets the flags and fragment offset field.
     *
     * @param value e.g. {@link #FLAG_DONT_FRAGMENT}
     * @return this
     */
    public Ipv4Header fragmentField(int value) {
        NetworkOrder.u16(buffer, offset + FRAGMENT_OFFSET, value);
        return this;
    }

    /**
     * The DF flag.
     *
     * @return true if set
     */
    public boolean dontFragment() {
        return (fragmentField() & FLAG_DONT_FRAGMENT) != 0;
    }

    /**
     * The MF flag.
     *
     * @return true if set
     */
    public boolean moreFragments() {
        return (fragmentField() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /**
     * The fragment offset, in 8-byte units.
     *
     * @return 0..8191
     */
    public int fragmentOffset() {
        return fragmentField() & 0x1FFF;
    }

    /**
     * Whether this packet is a fragment (MF set or a non-zero offset).
     *
     * @return true for a fragment
     */
    public boolean isFragment() {
        return (fragmentField() & (FLAG_MORE_FRAGMENTS | 0x1FFF)) != 0;
    }

    /**
     * The time to live.
     *
     * @return 0..255
     */
    public int ttl() {
        return NetworkOrder.u8(buffer, offset + TTL_OFFSET);
    }

    /**
     * Sets the time to live.
     *
     * @param ttl 0..255
     * @return this
     */
    public Ipv4Header ttl(int ttl) {
        NetworkOrder.u8(buffer, offset + TTL_OFFSET, ttl);
        return this;
    }

    /**
     * The protocol number of the payload.
     *
     * @return 0..255
     */
    public int protocol() {
        return NetworkOrder.u8(buffer, offset + PROTOCOL_OFFSET);
    }

    /**
     * Sets the protocol number.
     *
     * @param protocol 0..255
     * @return this
     */
    public Ipv4Header protocol(int protocol) {
        NetworkOrder.u8(buffer, offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    /**
     * The header checksum field.
     *
     * @return 0..65535
     */
    public int checksum() {
        return NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /**
     * Sets the header checksum field.
     *
     * @param checksum 0..65535
     * @return this
     */
    public Ipv4Header checksum(int checksum) {
        NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Whether the header checksum over {@link #headerLength()} bytes is correct.
     *
     * @return true if valid
     */
    public boolean checksumValid() {
        return InternetChecksum.checksum(buffer, offset, headerLength(), 0) == 0;
    }

    /**
     * Computes and stores the header checksum over {@link #headerLength()} bytes.
     *
     * @return this
     */
    public Ipv4Header computeChecksum() {
        checksum(0);
        return checksum(InternetChecksum.checksum(buffer, offset, headerLength(), 0));
    }

    /**
     * The source address.
     *
     * @return as an int
     */
    public int source() {
        return NetworkOrder.i32(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * Sets the source address.
     *
     * @param address as an int
     * @return this
     */
    public Ipv4Header source(int address) {
        NetworkOrder.i32(buffer, offset + SOURCE_OFFSET, address);
        return this;
    }

    /**
     * The destination address.
     *
     * @return as an int
     */
    public int destination() {
        return NetworkOrder.i32(buffer, offset + DESTINATION_OFFSET);
    }

    /**
     * Sets the destination address.
     *
     * @param address as an int
     * @return this
     */
    public Ipv4Header destination(int address) {
        NetworkOrder.i32(buffer, offset + DESTINATION_OFFSET, address);
        return this;
    }

    /**
     * Writes a complete 20-byte header without options, checksum included (the builder form).
     *
     * @param buffer the buffer, with room for 20 bytes at {@code offset}
     * @param offset absolute index
     * @param totalLength header plus payload, bytes
     * @param identification the identification
     * @param ttl time to live
     * @param protocol payload protocol number
     * @param source source address
     * @param destination destination address
     * @return {@value #MIN_LENGTH}, the header length
     */
    public static int write(ByteBuffer buffer, int offset, int totalLength, int identification, int ttl,
            int protocol, int source, int destination) {
        NetworkOrder.u8(buffer, offset, 0x45);
        NetworkOrder.u8(buffer, offset + TOS_OFFSET, 0);
        NetworkOrder.u16(buffer, offset + TOTAL_LENGTH_OFFSET, totalLength);
        NetworkOrder.u16(buffer, offset + IDENTIFICATION_OFFSET, identification);
        NetworkOrder.u16(buffer, offset + FRAGMENT_OFFSET, FLAG_DONT_FRAGMENT);
        NetworkOrder.u8(buffer, offset + TTL_OFFSET, ttl);
        NetworkOrder.u8(buffer, offset + PROTOCOL_OFFSET, protocol);
        NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET, 0);
        NetworkOrder.i32(buffer, offset + SOURCE_OFFSET, source);
        NetworkOrder.i32(buffer, offset + DESTINATION_OFFSET, destination);
        NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET, InternetChecksum.checksum(buffer, offset, MIN_LENGTH, 0));
        return MIN_LENGTH;
    }

    /**
     * An {@code int} address as an {@link Inet4Address} (allocates).
     *
     * @param address as an int
     * @return the address
     */
    public static Inet4Address toInetAddress(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }

    /**
     * An {@link Inet4Address} as an {@code int}.
     *
     * @param address an IPv4 address
     * @return as an int
     * @throws IllegalArgumentException for an IPv6 address
     */
    public static int toInt(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    /**
     * Parses a dotted quad.
     *
     * @param literal e.g. {@code "10.77.0.2"}
     * @return as an int
     * @throws IllegalArgumentException if it is not an IPv4 literal
     */
    public static int parse(String literal) {
        return toInt(InetAddress.ofLiteral(literal));
    }

    /**
     * Formats an {@code int} address as a dotted quad.
     *
     * @param address as an int
     * @return e.g. {@code "10.77.0.2"}
     */
    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }
}
