package io.jpair.testing;

import java.net.InetAddress;

/**
 * Byte-array packet builders for tests (Twisted's {@code _ethernet}, {@code _ip}, {@code _udp},
 * {@code _H}), with real encodings: a {@code 0x45} IPv4 header with a correct checksum, UDP with
 * its length and (optionally) pseudo-header checksum.
 *
 * <p>Allocates: for building test input, not for the packet path.
 */
public final class Packets {
    /** EtherType IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** EtherType ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** EtherType IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IP protocol number of ICMP. */
    public static final int PROTO_ICMP = 1;
    /** IP protocol number of UDP. */
    public static final int PROTO_UDP = 17;

    private Packets() {
    }

    /**
     * A 16-bit big-endian value (Twisted's {@code _H}).
     *
     * @param value 0..65535
     * @return two bytes
     */
    public static byte[] h(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("not a 16-bit value: " + value);
        }
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    /**
     * An Ethernet II frame: destination, source, EtherType, payload.
     *
     * @param source 6-byte source MAC
     * @param destination 6-byte destination MAC
     * @param etherType the EtherType
     * @param payload the payload
     * @return the frame
     */
    public static byte[] ethernet(byte[] source, byte[] destination, int etherType, byte[] payload) {
        byte[] frame = new byte[14 + payload.length];
        System.arraycopy(destination, 0, frame, 0, 6);
        System.arraycopy(source, 0, frame, 6, 6);
        frame[12] = (byte) (etherType >>> 8);
        frame[13] = (byte) etherType;
        System.arraycopy(payload, 0, frame, 14, payload.length);
        return frame;
    }

    /**
     * An IPv4 packet with a 20-byte header: version 4, IHL 5, TOS 0, ID 1, no fragmentation,
     * TTL 64, correct header checksum.
     *
     * @param source dotted-quad source
     * @param destination dotted-quad destination
     * @param protocol the IP protocol number
     * @param payload the payload
     * @return the packet
     */
    public static byte[] ipv4(String source, String destination, int protocol, byte[] payload) {
        byte[] packet = new byte[20 + payload.length];
        packet[0] = 0x45;
        int total = packet.length;
        packet[2] = (byte) (total >>> 8);
        packet[3] = (byte) total;
        packet[5] = 1;
        packet[8] = 64;
        packet[9] = (byte) protocol;
        System.arraycopy(address(source, 4), 0, packet, 12, 4);
        System.arraycopy(address(destination, 4), 0, packet, 16, 4);
        int sum = checksum(packet, 0, 20, 0);
        packet[10] = (byte) (sum >>> 8);
        packet[11] = (byte) sum;
        System.arraycopy(payload, 0, packet, 20, payload.length);
        return packet;
    }

    /**
     * A UDP datagram with checksum 0 ("none", legal for IPv4), as Twisted's {@code _udp}.
     *
     * @param sourcePort source port
     * @param destinationPort destination port
     * @param payload the payload
     * @return header and payload
     */
    public static byte[] udp(int sourcePort, int destinationPort, byte[] payload) {
        byte[] datagram = new byte[8 + payload.length];
        datagram[0] = (byte) (sourcePort >>> 8);
        datagram[1] = (byte) sourcePort;
        datagram[2] = (byte) (destinationPort >>> 8);
        datagram[3] = (byte) destinationPort;
        datagram[4] = (byte) (datagram.length >>> 8);
        datagram[5] = (byte) datagram.length;
        System.arraycopy(payload, 0, datagram, 8, payload.length);
        return datagram;
    }

    /**
     * A complete IPv4/UDP packet with both checksums computed.
     *
     * @param source dotted-quad source
     * @param sourcePort source port
     * @param destination dotted-quad destination
     * @param destinationPort destination port
     * @param payload the payload
     * @return the packet
     */
    public static byte[] ipv4Udp(String source, int sourcePort, String destination, int destinationPort,
            byte[] payload) {
        byte[] datagram = udp(sourcePort, destinationPort, payload);
        byte[] src = address(source, 4);
        byte[] dst = address(destination, 4);
        int pseudo = sum16(src, 0, 4) + sum16(dst, 0, 4) + PROTO_UDP + datagram.length;
        int sum = checksum(datagram, 0, datagram.length, pseudo);
        if (sum == 0) {
            sum = 0xFFFF;
        }
        datagram[6] = (byte) (sum >>> 8);
        datagram[7] = (byte) sum;
        return ipv4(source, destination, PROTO_UDP, datagram);
    }

    /**
     * The Internet checksum (RFC 1071) of {@code data[offset, offset + length)} plus
     * {@code initial}, with every carry folded.
     *
     * @param data the bytes
     * @param offset start
     * @param length count
     * @param initial a partial sum to include (e.g. a pseudo-header), 0 for none
     * @return the one's-complement checksum
     */
    public static int checksum(byte[] data, int offset, int length, int initial) {
        long sum = initial + (long) sum16(data, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static int sum16(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Parses an IP address literal.
     *
     * @param literal dotted quad or IPv6 literal
     * @param size 4 or 16
     * @return the address bytes
     */
    public static byte[] address(String literal, int size) {
        try {
            byte[] bytes = InetAddress.ofLiteral(literal).getAddress();
            if (bytes.length != size) {
                throw new IllegalArgumentException(literal + " is not a " + (size * 8) + "-bit address");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }

    /**
     * The EtherType an IP packet would carry, from its version nibble.
     *
     * @param ipPacket the packet
     * @return 0x0800, 0x86DD, or 0
     */
    public static int etherTypeOf(byte[] ipPacket) {
        if (ipPacket.length == 0) {
            return 0;
        }
        int version = (ipPacket[0] & 0xFF) >>> 4;
        return version == 4 ? ETHERTYPE_IPV4 : version == 6 ? ETHERTYPE_IPV6 : 0;
    }

    /**
     * The EtherType field of an Ethernet frame.
     *
     * @param frame the frame
     * @return the EtherType, or 0 if the frame is too short
     */
    public static int etherTypeOfFrame(byte[] frame) {
        return frame.length < 14 ? 0 : ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
    }

    /**
     * The payload of a UDP datagram to {@code port} inside a written packet, or {@code null}.
     *
     * @param packet what was written
     * @param port the destination port to match
     * @param skip leading bytes to skip (a PI header)
     * @param ethernet whether an Ethernet header follows the skipped bytes
     * @return the payload, or {@code null} if the packet is not IPv4/UDP to that port
     */
    public static byte[] udpPayloadTo(byte[] packet, int port, int skip, boolean ethernet) {
        int ip = skip;
        if (ethernet) {
            if (packet.length < skip + 14 || ((packet[skip + 12] & 0xFF) << 8 | (packet[skip + 13] & 0xFF)) != 0x0800) {
                return null;
            }
            ip += 14;
        }
        if (packet.length < ip + 20 || (packet[ip] & 0xF0) != 0x40 || packet[ip + 9] != PROTO_UDP) {
            return null;
        }
        int udp = ip + (packet[ip] & 0x0F) * 4;
        if (packet.length < udp + 8) {
            return null;
        }
        int destinationPort = (packet[udp + 2] & 0xFF) << 8 | (packet[udp + 3] & 0xFF);
        int length = (packet[udp + 4] & 0xFF) << 8 | (packet[udp + 5] & 0xFF);
        if (destinationPort != port || length < 8 || udp + length > packet.length) {
            return null;
        }
        byte[] payload = new byte[length - 8];
        System.arraycopy(packet, udp + 8, payload, 0, payload.length);
        return payload;
    }
}
