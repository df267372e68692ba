package io.jpair.ip;

import io.jpair.transport.RawPacketProtocol;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * The IP-level facts of the packet being delivered, handed to every {@link RawDatagramProtocol}
 * (Twisted's keyword arguments {@code source, dest, protocol, version, ihl, tos, tot_len, ...}):
 * the version, the upper protocol, the addresses as primitives, the hop limit, the link-layer
 * source, and the header views. One instance is reused for every packet: valid only during the
 * callback. The {@code InetAddress} accessors allocate; the primitive ones do not.
 */
public final class IpPacket {
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private int version;
    private int protocol;
    private int payloadOffset;
    private int payloadLength;
    private long linkSource = RawPacketProtocol.NO_MAC;
    private long linkDestination = RawPacketProtocol.NO_MAC;
    private int segmentSize;
    private boolean checksumTrusted;

    /** An empty context: {@link IPProtocol} fills it per packet, tests call {@link #wrap}. */
    public IpPacket() {
    }

    /**
     * Points the context at a well-formed IPv4 or IPv6 packet without validating it (what
     * {@link IPProtocol} does after validation; tests use it to feed upper protocols directly).
     * The payload starts after the IPv4 header with options, or after the fixed IPv6 header
     * (extension headers are not walked), and ends at the length the header states.
     *
     * @param buffer the buffer
     * @param offset absolute index of the IP header
     * @return this
     * @throws IllegalArgumentException if the version nibble is neither 4 nor 6
     */
    public IpPacket wrap(ByteBuffer buffer, int offset) {
        segmentSize = 0;
        checksumTrusted = false;
        int v = NetworkOrder.u8(buffer, offset) >>> 4;
        if (v == 4) {
            ipv4.wrap(buffer, offset);
            setIpv4(ipv4.protocol(), offset + ipv4.headerLength(), ipv4.totalLength() - ipv4.headerLength());
        } else if (v == 6) {
            ipv6.wrap(buffer, offset);
            setIpv6(ipv6.nextHeader(), offset + Ipv6Header.LENGTH, ipv6.payloadLength());
        } else {
            throw new IllegalArgumentException("not an IPv4 or IPv6 header: version " + v);
        }
        return this;
    }

    Ipv4Header ipv4View() {
        return ipv4;
    }

    Ipv6Header ipv6View() {
        return ipv6;
    }

    void setIpv4(int upperProtocol, int upperOffset, int upperLength) {
        version = 4;
        protocol = upperProtocol;
        payloadOffset = upperOffset;
        payloadLength = upperLength;
    }

    void setIpv6(int upperProtocol, int upperOffset, int upperLength) {
        version = 6;
        protocol = upperProtocol;
        payloadOffset = upperOffset;
        payloadLength = upperLength;
    }

    void offload(int superPacketSegmentSize, boolean trustedChecksum) {
        segmentSize = superPacketSegmentSize;
        checksumTrusted = trustedChecksum;
    }

    /**
     * The segment size of a TCP super-packet delivered unsplit by a TUN port with TCP
     * super-packets on ({@code io.jpair.transport.SegmentOffload#receivedSegmentSize()}): the
     * payload is one segment of up to 64 KiB that the sender cut into pieces of this size.
     *
     * @return the sender's MSS, or 0 for an ordinary packet
     */
    public int segmentSize() {
        return segmentSize;
    }

    /**
     * Whether the upper-layer checksum must be taken as correct without verifying it: partial in
     * an unsplit super-packet, completed by the port, or validated by the kernel
     * ({@code io.jpair.transport.SegmentOffload#receivedChecksumTrusted()}).
     *
     * @return true to skip the TCP/UDP checksum check
     */
    public boolean checksumTrusted() {
        return checksumTrusted;
    }

    void link(long destination, long source) {
        linkDestination = destination;
        linkSource = source;
    }

    /**
     * The IP version.
     *
     * @return 4 or 6
     */
    public int version() {
        return version;
    }

    /**
     * Whether this is IPv4.
     *
     * @return true for IPv4
     */
    public boolean isIpv4() {
        return version == 4;
    }

    /**
     * The upper-layer protocol number (after IPv6 extension headers).
     *
     * @return 0..255
     */
    public int protocol() {
        return protocol;
    }

    /**
     * Where the upper-layer message starts in the buffer.
     *
     * @return absolute index
     */
    public int payloadOffset() {
        return payloadOffset;
    }

    /**
     * The upper-layer message length.
     *
     * @return bytes
     */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * The IPv4 header view (meaningful only when {@link #isIpv4()}).
     *
     * @return the view
     */
    public Ipv4Header ipv4() {
        return ipv4;
    }

    /**
     * The IPv6 fixed header view (meaningful only when {@code version() == 6}).
     *
     * @return the view
     */
    public Ipv6Header ipv6() {
        return ipv6;
    }

    /**
     * The TTL (IPv4) or hop limit (IPv6).
     *
     * @return 0..255
     */
    public int hopLimit() {
        return version == 4 ? ipv4.ttl() : ipv6.hopLimit();
    }

    /**
     * The IPv4 source.
     *
     * @return as an int (only for IPv4)
     */
    public int sourceIpv4() {
        return ipv4.source();
    }

    /**
     * The IPv4 destination.
     *
     * @return as an int (only for IPv4)
     */
    public int destinationIpv4() {
        return ipv4.destination();
    }

    /**
     * The IPv6 source, high 64 bits.
     *
     * @return the bits (only for IPv6)
     */
    public long sourceHigh() {
        return ipv6.sourceHigh();
    }

    /**
     * The IPv6 source, low 64 bits.
     *
     * @return the bits (only for IPv6)
     */
    public long sourceLow() {
        return ipv6.sourceLow();
    }

    /**
     * The IPv6 destination, high 64 bits.
     *
     * @return the bits (only for IPv6)
     */
    public long destinationHigh() {
        return ipv6.destinationHigh();
    }

    /**
     * The IPv6 destination, low 64 bits.
     *
     * @return the bits (only for IPv6)
     */
    public long destinationLow() {
        return ipv6.destinationLow();
    }

    /**
     * The source as an {@link InetAddress} (allocates).
     *
     * @return the address
     */
    public InetAddress sourceAddress() {
        return version == 4 ? Ipv4Header.toInetAddress(ipv4.source())
            : Ipv6Header.toInetAddress(ipv6.sourceHigh(), ipv6.sourceLow());
    }

    /**
     * The destination as an {@link InetAddress} (allocates).
     *
     * @return the address
     */
    public InetAddress destinationAddress() {
        return version == 4 ? Ipv4Header.toInetAddress(ipv4.destination())
            : Ipv6Header.toInetAddress(ipv6.destinationHigh(), ipv6.destinationLow());
    }

    /**
     * The pseudo-header sum for an upper-layer checksum over this packet's addresses.
     *
     * @param upperProtocol the protocol number in the pseudo-header
     * @param length the upper-layer length
     * @return a partial sum for {@link InternetChecksum#checksum}
     */
    public long pseudoHeaderSum(int upperProtocol, int length) {
        return version == 4
            ? InternetChecksum.pseudoHeaderIpv4(ipv4.source(), ipv4.destination(), upperProtocol, length)
            : InternetChecksum.pseudoHeaderIpv6(ipv6.sourceHigh(), ipv6.sourceLow(), ipv6.destinationHigh(),
                ipv6.destinationLow(), upperProtocol, length);
    }

    /**
     * The Ethernet source of the frame that carried the packet.
     *
     * @return {@code long} MAC, or {@link RawPacketProtocol#NO_MAC} on TUN
     */
    public long linkSource() {
        return linkSource;
    }

    /**
     * The Ethernet destination of the frame that carried the packet.
     *
     * @return {@code long} MAC, or {@link RawPacketProtocol#NO_MAC} on TUN
     */
    public long linkDestination() {
        return linkDestination;
    }

    @Override
    public String toString() {
        return "IpPacket[v" + version + " " + sourceAddress().getHostAddress() + " -> "
            + destinationAddress().getHostAddress() + " proto " + protocol + ", " + payloadLength + " bytes]";
    }
}
