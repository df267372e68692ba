package io.jpair.ip;

import io.jpair.testing.ManualClock;
import io.jpair.wire.InternetChecksum;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare IP layer for the fragment tests: addresses 10.77.0.2/24 and fd00:77::2/64, ICMP for both
 * versions on a {@link ManualClock}, a link that records every packet sent, a recorder on
 * protocols 17 and 99; and the test's own fragmenter (independent of {@link IPProtocol}'s).
 */
final class FragmentBench {
    final ManualClock clock = new ManualClock();
    final IPProtocol ip = new IPProtocol();
    final IcmpProtocol icmp = new IcmpProtocol(ip, clock);
    final Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, clock);
    final List<byte[]> sent = new ArrayList<>();
    final List<byte[]> delivered = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    FragmentBench() {
        ip.addAddress(InetAddress.ofLiteral("10.77.0.2"), 24);
        ip.addAddress(InetAddress.ofLiteral("fd00:77::2"), 64);
        ip.addProto(IPProtocol.ICMP, icmp);
        ip.addProto(IPProtocol.ICMPV6, icmpv6);
        RawDatagramProtocol recorder = new RawDatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer payload, IpPacket packet) {
                byte[] copy = new byte[payload.remaining()];
                payload.get(payload.position(), copy);
                delivered.add(copy);
            }

            @Override
            public void icmpErrorReceived(IcmpError error) {
                errors.add(error.type() + "/" + error.code() + " " + error.quotedSourcePort() + "->"
                    + error.quotedDestinationPort() + " mtu " + error.mtu());
            }
        };
        ip.addProto(IPProtocol.UDP, recorder);
        ip.addProto(99, recorder);
        ip.link((buffer, offset, length) -> {
            byte[] copy = new byte[length];
            buffer.get(offset, copy);
            sent.add(copy);
            return true;
        });
    }

    FragmentBench withReassembler(long highThreshold) {
        ip.reassembler(new Reassembler(clock, highThreshold));
        return this;
    }

    FragmentBench withReassembler() {
        return withReassembler(Reassembler.DEFAULT_HIGH_THRESHOLD);
    }

    void receive(byte[] packet) {
        ip.datagramReceived(ByteBuffer.wrap(packet), -1L, -1L, 0);
    }

    /** An IPv4 packet from {@code source} to 10.77.0.2 with a fresh header checksum. */
    static byte[] ipv4(String source, int protocol, int identification, byte[] payload) {
        byte[] p = new byte[20 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x45).putShort(2, (short) p.length).putShort(4, (short) identification);
        b.put(8, (byte) 64).put(9, (byte) protocol);
        b.put(12, InetAddress.ofLiteral(source).getAddress()).put(16, InetAddress.ofLiteral("10.77.0.2").getAddress());
        System.arraycopy(payload, 0, p, 20, payload.length);
        b.putShort(10, (short) InternetChecksum.checksum(b, 0, 20, 0));
        return p;
    }

    /** An IPv6 packet from {@code source} to fd00:77::2. */
    static byte[] ipv6(String source, int nextHeader, byte[] payload) {
        byte[] p = new byte[40 + payload.length];
        ByteBuffer b = ByteBuffer.wrap(p);
        b.put(0, (byte) 0x60).putShort(4, (short) payload.length).put(6, (byte) nextHeader).put(7, (byte) 64);
        b.put(8, InetAddress.ofLiteral(source).getAddress()).put(24, InetAddress.ofLiteral("fd00:77::2").getAddress());
        System.arraycopy(payload, 0, p, 40, payload.length);
        return p;
    }

    /** The IPv4 fragment of {@code packet} carrying payload bytes {@code [from, to)}. */
    static byte[] ipv4Fragment(byte[] packet, int from, int to, boolean last) {
        int header = (packet[0] & 0xF) * 4;
        byte[] f = new byte[header + to - from];
        System.arraycopy(packet, 0, f, 0, header);
        System.arraycopy(packet, header + from, f, header, to - from);
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putShort(2, (short) f.length).putShort(6, (short) ((from / 8) | (last ? 0 : 0x2000))).putShort(10, (short) 0);
        b.putShort(10, (short) InternetChecksum.checksum(b, 0, header, 0));
        return f;
    }

    /** The IPv6 fragment of {@code packet} (no extension headers) carrying payload bytes {@code [from, to)}. */
    static byte[] ipv6Fragment(byte[] packet, int identification, int from, int to, boolean last) {
        byte[] f = new byte[48 + to - from];
        System.arraycopy(packet, 0, f, 0, 40);
        System.arraycopy(packet, 40 + from, f, 48, to - from);
        ByteBuffer b = ByteBuffer.wrap(f);
        b.putShort(4, (short) (8 + to - from)).put(6, (byte) Ipv6Header.FRAGMENT);
        b.put(40, packet[6]).putShort(42, (short) (from | (last ? 0 : 1))).putInt(44, identification);
        return f;
    }

    /** Reassembles fragments the stack sent (the test's own reassembly: sorted by offset, no checks). */
    static byte[] join(List<byte[]> fragments) {
        byte[] first = fragments.get(0);
        boolean v4 = (first[0] >> 4) == 4;
        int header = v4 ? (first[0] & 0xF) * 4 : 40;
        int skip = v4 ? header : 48;
        byte[] payload = new byte[65536];
        int total = 0;
        for (byte[] f : fragments) {
            ByteBuffer b = ByteBuffer.wrap(f);
            int offset = v4 ? (b.getShort(6) & 0x1FFF) * 8 : b.getShort(42) & 0xFFF8;
            int h = v4 ? (f[0] & 0xF) * 4 : 48;
            System.arraycopy(f, h, payload, offset, f.length - h);
            total = Math.max(total, offset + f.length - h);
        }
        byte[] whole = new byte[header + total];
        System.arraycopy(first, 0, whole, 0, header);
        ByteBuffer w = ByteBuffer.wrap(whole);
        if (v4) {
            w.putShort(2, (short) whole.length).putShort(6, (short) 0);
        } else {
            w.put(6, first[40]).putShort(4, (short) total);
        }
        System.arraycopy(payload, 0, whole, header, total);
        return whole;
    }

    static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 7 + i / 251);
        }
        return data;
    }

    static byte[] udp(int sourcePort, int destinationPort, byte[] data) {
        byte[] u = new byte[8 + data.length];
        ByteBuffer.wrap(u).putShort(0, (short) sourcePort).putShort(2, (short) destinationPort)
            .putShort(4, (short) u.length);
        System.arraycopy(data, 0, u, 8, data.length);
        return u;
    }
}
