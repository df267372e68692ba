package io.jpair.testing;

/**
 * More byte-array packet builders for tests of the protocol stack, next to {@link Packets}:
 * ICMP echo, IPv6, ICMPv6 (with the pseudo-header checksum), UDP over IPv6, ARP. Real encodings,
 * correct checksums unless a test breaks them on purpose.
 *
 * <p>Allocates: for building test input, not for the packet path.
 */
public final class StackPackets {
    /** IP protocol number of ICMPv6. */
    public static final int PROTO_ICMPV6 = 58;

    private StackPackets() {
    }

    /**
     * An ICMP (v4) message with its checksum.
     *
     * @param type e.g. 8 (echo request)
     * @param identifier echo identifier
     * @param sequence echo sequence number
     * @param data the echo data
     * @return the message
     */
    public static byte[] icmpEcho(int type, int identifier, int sequence, byte[] data) {
        byte[] m = echoBody(type, identifier, sequence, data);
        int sum = Packets.checksum(m, 0, m.length, 0);
        m[2] = (byte) (sum >>> 8);
        m[3] = (byte) sum;
        return m;
    }

    private static byte[] echoBody(int type, int identifier, int sequence, byte[] data) {
        byte[] m = new byte[8 + data.length];
        m[0] = (byte) type;
        m[4] = (byte) (identifier >>> 8);
        m[5] = (byte) identifier;
        m[6] = (byte) (sequence >>> 8);
        m[7] = (byte) sequence;
        System.arraycopy(data, 0, m, 8, data.length);
        return m;
    }

    /**
     * An IPv6 packet with a fixed header only.
     *
     * @param source source literal
     * @param destination destination literal
     * @param nextHeader upper protocol number
     * @param hopLimit hop limit
     * @param payload the payload
     * @return the packet
     */
    public static byte[] ipv6(String source, String destination, int nextHeader, int hopLimit, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        p[0] = 0x60;
        p[4] = (byte) (payload.length >>> 8);
        p[5] = (byte) payload.length;
        p[6] = (byte) nextHeader;
        p[7] = (byte) hopLimit;
        System.arraycopy(Packets.address(source, 16), 0, p, 8, 16);
        System.arraycopy(Packets.address(destination, 16), 0, p, 24, 16);
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    /**
     * The IPv6 pseudo-header partial sum.
     *
     * @param source source literal
     * @param destination destination literal
     * @param nextHeader upper protocol number
     * @param length upper-layer length
     * @return the sum of its 16-bit words
     */
    public static int pseudoHeaderIpv6(String source, String destination, int nextHeader, int length) {
        byte[] s = Packets.address(source, 16);
        byte[] d = Packets.address(destination, 16);
        int sum = 0;
        for (int i = 0; i < 16; i += 2) {
            sum += ((s[i] & 0xFF) << 8 | (s[i + 1] & 0xFF)) + ((d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF));
        }
        return sum + (length >>> 16) + (length & 0xFFFF) + nextHeader;
    }

    /**
     * An IPv6 packet carrying an ICMPv6 message whose checksum is filled in.
     *
     * @param source source literal
     * @param destination destination literal
     * @param hopLimit hop limit (255 for neighbour discovery)
     * @param message the ICMPv6 message with a zero checksum field
     * @return the packet
     */
    public static byte[] ipv6Icmp(String source, String destination, int hopLimit, byte[] message) {
        byte[] m = message.clone();
        m[2] = 0;
        m[3] = 0;
        int sum = Packets.checksum(m, 0, m.length, pseudoHeaderIpv6(source, destination, PROTO_ICMPV6, m.length));
        m[2] = (byte) (sum >>> 8);
        m[3] = (byte) sum;
        return ipv6(source, destination, PROTO_ICMPV6, hopLimit, m);
    }

    /**
     * An ICMPv6 echo message (checksum left 0 for {@link #ipv6Icmp}).
     *
     * @param type 128 request, 129 reply
     * @param identifier identifier
     * @param sequence sequence
     * @param data data
     * @return the message
     */
    public static byte[] icmpv6Echo(int type, int identifier, int sequence, byte[] data) {
        return echoBody(type, identifier, sequence, data);
    }

    /**
     * A neighbour solicitation or advertisement (checksum left 0 for {@link #ipv6Icmp}).
     *
     * @param type 135 solicitation, 136 advertisement
     * @param flags the flags word (e.g. 0x60000000 for S|O)
     * @param target target literal
     * @param optionType 1 source or 2 target link-layer address, or 0 for none
     * @param mac the option's MAC (6 bytes)
     * @return the message
     */
    public static byte[] neighbourMessage(int type, int flags, String target, int optionType, byte[] mac) {
        byte[] m = new byte[24 + (optionType == 0 ? 0 : 8)];
        m[0] = (byte) type;
        m[4] = (byte) (flags >>> 24);
        System.arraycopy(Packets.address(target, 16), 0, m, 8, 16);
        if (optionType != 0) {
            m[24] = (byte) optionType;
            m[25] = 1;
            System.arraycopy(mac, 0, m, 26, 6);
        }
        return m;
    }

    /**
     * A UDP/IPv6 packet with its (mandatory) checksum.
     *
     * @param source source literal
     * @param sourcePort source port
     * @param destination destination literal
     * @param destinationPort destination port
     * @param payload data
     * @return the packet
     */
    public static byte[] ipv6Udp(String source, int sourcePort, String destination, int destinationPort,
            byte[] payload) {
        byte[] d = Packets.udp(sourcePort, destinationPort, payload);
        int sum = Packets.checksum(d, 0, d.length, pseudoHeaderIpv6(source, destination, Packets.PROTO_UDP, d.length));
        if (sum == 0) {
            sum = 0xFFFF;
        }
        d[6] = (byte) (sum >>> 8);
        d[7] = (byte) sum;
        return ipv6(source, destination, Packets.PROTO_UDP, 64, d);
    }

    /**
     * An Ethernet/IPv4 ARP packet.
     *
     * @param operation 1 request, 2 reply
     * @param senderMac 6 bytes
     * @param senderIp dotted quad
     * @param targetMac 6 bytes
     * @param targetIp dotted quad
     * @return 28 bytes
     */
    public static byte[] arp(int operation, byte[] senderMac, String senderIp, byte[] targetMac, String targetIp) {
        byte[] a = new byte[28];
        a[1] = 1;
        a[2] = 0x08;
        a[4] = 6;
        a[5] = 4;
        a[7] = (byte) operation;
        System.arraycopy(senderMac, 0, a, 8, 6);
        System.arraycopy(Packets.address(senderIp, 4), 0, a, 14, 4);
        System.arraycopy(targetMac, 0, a, 18, 6);
        System.arraycopy(Packets.address(targetIp, 4), 0, a, 24, 4);
        return a;
    }
}
