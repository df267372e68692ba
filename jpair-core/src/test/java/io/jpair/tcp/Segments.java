package io.jpair.tcp;

import io.jpair.ip.IpPacket;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.wire.InternetChecksum;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Builds and reads TCP segments in IP packets for scripted-peer tests. */
final class Segments {
    private Segments() {
    }

    /** A segment with the given options bytes (a multiple of 4) and payload, checksummed. */
    static byte[] ipv4(String source, int sourcePort, String destination, int destinationPort, int seq, int ack,
            int flags, int window, byte[] options, byte[] payload) {
        byte[] tcp = tcp(sourcePort, destinationPort, seq, ack, flags, window, options, payload);
        long pseudo = InternetChecksum.pseudoHeaderIpv4(toInt(source), toInt(destination), TcpProtocol.PROTOCOL,
            tcp.length);
        checksum(tcp, pseudo);
        return Packets.ipv4(source, destination, TcpProtocol.PROTOCOL, tcp);
    }

    static byte[] ipv6(String source, int sourcePort, String destination, int destinationPort, int seq, int ack,
            int flags, int window, byte[] options, byte[] payload) {
        byte[] tcp = tcp(sourcePort, destinationPort, seq, ack, flags, window, options, payload);
        InetAddress s = InetAddress.ofLiteral(source);
        InetAddress d = InetAddress.ofLiteral(destination);
        long pseudo = InternetChecksum.pseudoHeaderIpv6(io.jpair.ip.Ipv6Header.high(s), io.jpair.ip.Ipv6Header.low(s),
            io.jpair.ip.Ipv6Header.high(d), io.jpair.ip.Ipv6Header.low(d), TcpProtocol.PROTOCOL, tcp.length);
        checksum(tcp, pseudo);
        return StackPackets.ipv6(source, destination, TcpProtocol.PROTOCOL, 64, tcp);
    }

    private static byte[] tcp(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
            byte[] options, byte[] payload) {
        int headerLength = TcpHeader.MIN_LENGTH + options.length;
        byte[] tcp = new byte[headerLength + payload.length];
        ByteBuffer b = ByteBuffer.wrap(tcp);
        new TcpHeader().wrap(b, 0).write(sourcePort, destinationPort, seq, ack, headerLength, flags, window);
        System.arraycopy(options, 0, tcp, TcpHeader.MIN_LENGTH, options.length);
        System.arraycopy(payload, 0, tcp, headerLength, payload.length);
        return tcp;
    }

    private static void checksum(byte[] tcp, long pseudo) {
        new TcpHeader().wrap(ByteBuffer.wrap(tcp), 0).computeChecksum(pseudo, tcp.length);
    }

    static int toInt(String address) {
        return io.jpair.ip.Ipv4Header.toInt(InetAddress.ofLiteral(address));
    }

    /** MSS option only. */
    static byte[] mss(int mss) {
        ByteBuffer b = ByteBuffer.allocate(4);
        TcpHeader.writeMss(b, 0, mss);
        return b.array();
    }

    /** A parsed view of a segment inside an IP packet (options parsed). */
    static final class Parsed {
        final IpPacket ip;
        final TcpHeader tcp;
        final byte[] payload;
        final boolean checksumValid;

        Parsed(byte[] packet) {
            ByteBuffer b = ByteBuffer.wrap(packet);
            ip = new IpPacket().wrap(b, 0);
            tcp = new TcpHeader().wrap(b, ip.payloadOffset());
            tcp.parseOptions();
            int length = ip.payloadLength();
            checksumValid = tcp.checksumValid(ip.pseudoHeaderSum(TcpProtocol.PROTOCOL, length), length);
            payload = java.util.Arrays.copyOfRange(packet, ip.payloadOffset() + tcp.headerLength(),
                ip.payloadOffset() + length);
        }

        boolean is(int flags) {
            return tcp.flags() == flags;
        }
    }

    static Parsed parse(byte[] packet) {
        return new Parsed(packet);
    }
}
