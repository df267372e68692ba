package io.jpair.ip;

import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * A view over an ICMP (RFC 792) or ICMPv6 (RFC 4443) message header, with the echo fields and the
 * neighbour discovery fields (RFC 4861) of ICMPv6: no copy, retargeted with {@link #wrap}, network
 * byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Echo: Identifier            |   Echo: Sequence Number       |
 * |   NS/NA: flags (R S O) and reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Echo: data ...   NS/NA: Target Address (128 bits), options  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The ICMPv4 checksum covers the message; the ICMPv6 one also covers the IPv6 pseudo-header.
 */
public final class IcmpHeader {
    /** Offset of the type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the code. */
    public static final int CODE_OFFSET = 1;
    /** Offset of the checksum. */
    public static final int CHECKSUM_OFFSET = 2;
    /** Offset of the echo identifier. */
    public static final int IDENTIFIER_OFFSET = 4;
    /** Offset of the echo sequence number. */
    public static final int SEQUENCE_OFFSET = 6;
    /** Offset of the neighbour solicitation/advertisement flags. */
    public static final int FLAGS_OFFSET = 4;
    /** Offset of the neighbour discovery target address. */
    public static final int TARGET_OFFSET = 8;
    /** Offset of the first neighbour discovery option. */
    public static final int ND_OPTIONS_OFFSET = 24;
    /** Length of the header (type, code, checksum, 4 bytes of rest). */
    public static final int LENGTH = 8;
    /** Length of a neighbour solicitation/advertisement without options. */
    public static final int ND_LENGTH = 24;
    /** ICMPv4 echo reply. */
    public static final int ECHO_REPLY = 0;
    /** ICMPv4 destination unreachable. */
    public static final int DESTINATION_UNREACHABLE = 3;
    /** ICMPv4 echo request. */
    public static final int ECHO_REQUEST = 8;
    /** ICMPv4 type 11: time exceeded (code 1: fragment reassembly time exceeded). */
    public static final int TIME_EXCEEDED = 11;
    /** ICMPv6 type 1: destination unreachable (code 4: port unreachable). */
    public static final int V6_DESTINATION_UNREACHABLE = 1;
    /** ICMPv6 type 2: packet too big. */
    public static final int V6_PACKET_TOO_BIG = 2;
    /** ICMPv6 type 3: time exceeded (code 1: fragment reassembly time exceeded). */
    public static final int V6_TIME_EXCEEDED = 3;
    /** ICMPv4 parameter problem (RFC 792). */
    public static final int PARAMETER_PROBLEM = 12;
    /** ICMPv6 parameter problem (RFC 4443 section 3.4). */
    public static final int V6_PARAMETER_PROBLEM = 4;
    /** ICMPv6 echo request. */
    public static final int V6_ECHO_REQUEST = 128;
    /** ICMPv6 echo reply. */
    public static final int V6_ECHO_REPLY = 129;
    /** ICMPv6 router solicitation. */
    public static final int V6_ROUTER_SOLICITATION = 133;
    /** ICMPv6 router advertisement. */
    public static final int V6_ROUTER_ADVERTISEMENT = 134;
    /** ICMPv6 neighbour solicitation. */
    public static final int V6_NEIGHBOR_SOLICITATION = 135;
    /** ICMPv6 neighbour advertisement. */
    public static final int V6_NEIGHBOR_ADVERTISEMENT = 136;
    /** ND option: source link-layer address. */
    public static final int OPTION_SOURCE_LINK_ADDRESS = 1;
    /** ND option: target link-layer address. */
    public static final int OPTION_TARGET_LINK_ADDRESS = 2;
    /** NA flag: router. */
    public static final int FLAG_ROUTER = 0x8000_0000;
    /** NA flag: solicited. */
    public static final int FLAG_SOLICITED = 0x4000_0000;
    /** NA flag: override. */
    public static final int FLAG_OVERRIDE = 0x2000_0000;

    private ByteBuffer buffer;
    private int offset;

    /** A view not yet pointed at a message: call {@link #wrap} first. */
    public IcmpHeader() {
    }

    /**
     * Points the view at a message.
     *
     * @param buffer the buffer
     * @param offset absolute index of the first byte
     * @return this
     */
    public IcmpHeader wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * The offset of the message.
     *
     * @return absolute index
     */
    public int offset() {
        return offset;
    }

    /**
     * The type.
     *
     * @return 0..255
     */
    public int type() {
        return NetworkOrder.u8(buffer, offset + TYPE_OFFSET);
    }

    /**
     * Sets the type.
     *
     * @param type 0..255
     * @return this
     */
    public IcmpHeader type(int type) {
        NetworkOrder.u8(buffer, offset + TYPE_OFFSET, type);
        return this;
    }

    /**
     * The code.
     *
     * @return 0..255
     */
    public int code() {
        return NetworkOrder.u8(buffer, offset + CODE_OFFSET);
    }

    /**
     * Sets the code.
     *
     * @param code 0..255
     * @return this
     */
    public IcmpHeader code(int code) {
        NetworkOrder.u8(buffer, offset + CODE_OFFSET, code);
        return this;
    }

    /**
     * The checksum field.
     *
     * @return 0..65535
     */
    public int checksum() {
        return NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /**
     * Sets the checksum field.
     *
     * @param checksum 0..65535
     * @return this
     */
    public IcmpHeader checksum(int checksum) {
        NetworkOrder.u16(buffer, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /**
     * Computes and stores the checksum over {@code length} bytes of message plus a pseudo-header.
     *
     * @param length the message length
     * @param pseudoHeader the pseudo-header sum (0 for ICMPv4)
     * @return this
     */
    public IcmpHeader computeChecksum(int length, long pseudoHeader) {
        checksum(0);
        return checksum(InternetChecksum.checksum(buffer, offset, length, pseudoHeader));
    }

    /**
     * Whether the checksum over {@code length} bytes plus a pseudo-header is correct.
     *
     * @param length the message length
     * @param pseudoHeader the pseudo-header sum (0 for ICMPv4)
     * @return true if valid
     */
    public boolean checksumValid(int length, long pseudoHeader) {
        return InternetChecksum.checksum(buffer, offset, length, pseudoHeader) == 0;
    }

    /**
     * The echo identifier.
     *
     * @return 0..65535
     */
    public int identifier() {
        return NetworkOrder.u16(buffer, offset + IDENTIFIER_OFFSET);
    }

    /**
     * Sets the echo identifier.
     *
     * @param id 0..65535
     * @return this
     */
    public IcmpHeader identifier(int id) {
        NetworkOrder.u16(buffer, offset + IDENTIFIER_OFFSET, id);
        return this;
    }

    /**
     * The echo sequence number.
     *
     * @return 0..65535
     */
    public int sequence() {
        return NetworkOrder.u16(buffer, offset + SEQUENCE_OFFSET);
    }

    /**
     * Sets the echo sequence number.
     *
     * @param sequence 0..65535
     * @return this
     */
    public IcmpHeader sequence(int sequence) {
        NetworkOrder.u16(buffer, offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /**
     * The neighbour advertisement flags word (R, S, O in the top bits).
     *
     * @return the 32-bit word
     */
    public int flags() {
        return NetworkOrder.i32(buffer, offset + FLAGS_OFFSET);
    }

    /**
     * Sets the flags word (reserved bits zero).
     *
     * @param flags e.g. {@code FLAG_SOLICITED | FLAG_OVERRIDE}
     * @return this
     */
    public IcmpHeader flags(int flags) {
        NetworkOrder.i32(buffer, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /**
     * The ND target address, high 64 bits.
     *
     * @return the bits
     */
    public long targetHigh() {
        return NetworkOrder.i64(buffer, offset + TARGET_OFFSET);
    }

    /**
     * The ND target address, low 64 bits.
     *
     * @return the bits
     */
    public long targetLow() {
        return NetworkOrder.i64(buffer, offset + TARGET_OFFSET + 8);
    }

    /**
     * Sets the ND target address.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return this
     */
    public IcmpHeader target(long high, long low) {
        NetworkOrder.i64(buffer, offset + TARGET_OFFSET, high);
        NetworkOrder.i64(buffer, offset + TARGET_OFFSET + 8, low);
        return this;
    }
}
