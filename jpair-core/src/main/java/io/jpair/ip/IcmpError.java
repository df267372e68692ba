package io.jpair.ip;

import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;

/**
 * An ICMP error message about a packet this host sent (ICMPv4 Destination Unreachable, Time
 * Exceeded, Parameter Problem; ICMPv6 Destination Unreachable, Packet Too Big, Time Exceeded,
 * Parameter Problem), as {@link RawDatagramProtocol#icmpErrorReceived} hands it to the protocol
 * registered for the quoted packet's protocol number: the type and code, the quoted packet's
 * addresses, protocol and (for TCP and UDP) ports, and the quoted bytes.
 *
 * <pre>{@code
 * public void icmpErrorReceived(IcmpError error) {
 *     if (error.isUnreachable() && error.quotedProtocol() == 6) {
 *         abortConnecting(error.quotedDestinationPort(), error.quotedSourcePort());
 *     }
 * }
 * }</pre>
 *
 * <p>One instance is reused for every message: valid only during the callback, like the
 * {@link IpPacket} it comes with. The quoted packet was checked to come from one of our
 * addresses (a packet we could have sent) and to hold at least its IP header and 8 bytes more.
 * Allocates nothing.
 */
public final class IcmpError {
    private int version;
    private int type;
    private int code;
    private int info;
    private ByteBuffer buffer;
    private int quoted;
    private int quotedEnd;
    private int quotedProtocol;
    private int transport;
    private int mtu;
    private IpPacket packet;

    IcmpError() {
    }

    /**
     * Points at the quoted packet in {@code buffer[at, end)}.
     *
     * @return false if too short, or not an IP header of this version
     */
    boolean wrap(int version, int type, int code, int info, ByteBuffer buffer, int at, int end, IpPacket packet) {
        this.version = version;
        this.type = type;
        this.code = code;
        this.info = info;
        this.buffer = buffer;
        this.quoted = at;
        this.quotedEnd = end;
        this.packet = packet;
        this.mtu = 0;
        int length = end - at;
        if (version == 4) {
            if (length < Ipv4Header.MIN_LENGTH || NetworkOrder.u8(buffer, at) >>> 4 != 4) {
                return false;
            }
            int headerLength = (NetworkOrder.u8(buffer, at) & 0xF) * 4;
            if (headerLength < Ipv4Header.MIN_LENGTH || length < headerLength + 8) {
                return false;
            }
            quotedProtocol = NetworkOrder.u8(buffer, at + Ipv4Header.PROTOCOL_OFFSET);
            boolean first = (NetworkOrder.u16(buffer, at + Ipv4Header.FRAGMENT_OFFSET) & 0x1FFF) == 0;
            transport = first ? at + headerLength : -1;
            return true;
        }
        if (length < Ipv6Header.LENGTH + 8 || NetworkOrder.u8(buffer, at) >>> 4 != 6) {
            return false;
        }
        int next = NetworkOrder.u8(buffer, at + Ipv6Header.NEXT_HEADER_OFFSET);
        int header = at + Ipv6Header.LENGTH;
        transport = -1;
        for (int count = 0; count < 8; count++) {
            switch (next) {
                case Ipv6Header.HOP_BY_HOP, Ipv6Header.ROUTING, Ipv6Header.DESTINATION_OPTIONS -> {
                    if (end - header < 8) {
                        quotedProtocol = next;
                        return true;
                    }
                    next = NetworkOrder.u8(buffer, header);
                    header += (NetworkOrder.u8(buffer, header + 1) + 1) * 8;
                }
                case Ipv6Header.FRAGMENT -> {
                    if (end - header < 8) {
                        quotedProtocol = next;
                        return true;
                    }
                    boolean first = (NetworkOrder.u16(buffer, header + 2) & 0xFFF8) == 0;
                    next = NetworkOrder.u8(buffer, header);
                    header += 8;
                    if (!first) {
                        quotedProtocol = next;
                        return true;
                    }
                }
                default -> {
                    quotedProtocol = next;
                    transport = header <= end ? header : -1;
                    return true;
                }
            }
        }
        quotedProtocol = next;
        return true;
    }

    void mtu(int value) {
        this.mtu = value;
    }

    /**
     * The IP version of the message (and of the quoted packet).
     *
     * @return 4 or 6
     */
    public int version() {
        return version;
    }

    /**
     * The ICMP type (ICMPv4: 3, 11, 12; ICMPv6: 1, 2, 3, 4).
     *
     * @return the type
     */
    public int type() {
        return type;
    }

    /**
     * The ICMP code.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The 32-bit word after the checksum (the pointer of a Parameter Problem, the MTU of a
     * Packet Too Big, the next-hop MTU in the low 16 bits of a "fragmentation needed").
     *
     * @return the word
     */
    public int info() {
        return info;
    }

    /**
     * Whether this is a Destination Unreachable (ICMPv4 type 3, ICMPv6 type 1), whatever the code.
     *
     * @return true for unreachables, "fragmentation needed" included
     */
    public boolean isUnreachable() {
        return type == (version == 4 ? 3 : 1);
    }

    /**
     * Whether the quoted packet's port was unreachable (ICMPv4 3/3, ICMPv6 1/4): nobody listens.
     *
     * @return true for port unreachable
     */
    public boolean isPortUnreachable() {
        return isUnreachable() && code == (version == 4 ? 3 : 4);
    }

    /**
     * Whether the quoted packet's protocol was unreachable (ICMPv4 3/2; ICMPv6 Parameter Problem
     * code 1, "unrecognized next header").
     *
     * @return true for protocol unreachable
     */
    public boolean isProtocolUnreachable() {
        return version == 4 ? type == 3 && code == 2 : type == 4 && code == 1;
    }

    /**
     * Whether this says the quoted packet was too big for a link on the path (ICMPv4 3/4
     * "fragmentation needed", ICMPv6 type 2 "packet too big"); see {@link #mtu()}.
     *
     * @return true for too big
     */
    public boolean isTooBig() {
        return version == 4 ? type == 3 && code == 4 : type == 2;
    }

    /**
     * The path MTU this message set, when {@link #isTooBig()}: the reported MTU (RFC 1191's
     * plateau below the quoted length when an old router reported 0), raised to the minimum.
     *
     * @return the MTU, or 0 for other messages
     */
    public int mtu() {
        return mtu;
    }

    /**
     * The protocol number of the quoted packet (after IPv6 extension headers).
     *
     * @return 0..255
     */
    public int quotedProtocol() {
        return quotedProtocol;
    }

    /**
     * The quoted TCP or UDP source port: the port this host sent from.
     *
     * @return 0..65535, or -1 if the quote holds no transport header (a non-first fragment)
     */
    public int quotedSourcePort() {
        return transport >= 0 && transport + 2 <= quotedEnd ? NetworkOrder.u16(buffer, transport) : -1;
    }

    /**
     * The quoted TCP or UDP destination port: the port this host sent to.
     *
     * @return 0..65535, or -1 if the quote holds no transport header
     */
    public int quotedDestinationPort() {
        return transport >= 0 && transport + 4 <= quotedEnd ? NetworkOrder.u16(buffer, transport + 2) : -1;
    }

    /**
     * The quoted IPv4 source (one of our addresses).
     *
     * @return as an int (meaningful for version 4)
     */
    public int quotedSourceIpv4() {
        return NetworkOrder.i32(buffer, quoted + Ipv4Header.SOURCE_OFFSET);
    }

    /**
     * The quoted IPv4 destination: where the packet was going.
     *
     * @return as an int (meaningful for version 4)
     */
    public int quotedDestinationIpv4() {
        return NetworkOrder.i32(buffer, quoted + Ipv4Header.DESTINATION_OFFSET);
    }

    /**
     * The quoted IPv6 source, high half.
     *
     * @return the bits (meaningful for version 6)
     */
    public long quotedSourceHigh() {
        return NetworkOrder.i64(buffer, quoted + Ipv6Header.SOURCE_OFFSET);
    }

    /**
     * The quoted IPv6 source, low half.
     *
     * @return the bits (meaningful for version 6)
     */
    public long quotedSourceLow() {
        return NetworkOrder.i64(buffer, quoted + Ipv6Header.SOURCE_OFFSET + 8);
    }

    /**
     * The quoted IPv6 destination, high half.
     *
     * @return the bits (meaningful for version 6)
     */
    public long quotedDestinationHigh() {
        return NetworkOrder.i64(buffer, quoted + Ipv6Header.DESTINATION_OFFSET);
    }

    /**
     * The quoted IPv6 destination, low half.
     *
     * @return the bits (meaningful for version 6)
     */
    public long quotedDestinationLow() {
        return NetworkOrder.i64(buffer, quoted + Ipv6Header.DESTINATION_OFFSET + 8);
    }

    /**
     * The buffer holding the quote; borrowed for the callback.
     *
     * @return the buffer (its position and limit are not the quote's)
     */
    public ByteBuffer quotedBuffer() {
        return buffer;
    }

    /**
     * Where the quoted IP header starts in {@link #quotedBuffer()}.
     *
     * @return absolute index
     */
    public int quotedOffset() {
        return quoted;
    }

    /**
     * Bytes of the quoted packet (often fewer than it had: the quote is cut).
     *
     * @return the length
     */
    public int quotedLength() {
        return quotedEnd - quoted;
    }

    /**
     * Where the quoted transport header starts in {@link #quotedBuffer()}.
     *
     * @return absolute index, or -1 if the quote holds none
     */
    public int quotedTransportOffset() {
        return transport;
    }

    /**
     * The IP packet that brought the message (its source is who reported the error).
     *
     * @return the reused context, valid during the callback
     */
    public IpPacket packet() {
        return packet;
    }

    @Override
    public String toString() {
        return "IcmpError[v" + version + " type " + type + " code " + code + " about protocol " + quotedProtocol
            + " ports " + quotedSourcePort() + "->" + quotedDestinationPort() + "]";
    }
}
