package io.jpair.tuntap.offload;

import java.nio.ByteBuffer;

/** Builds IPv4/IPv6 TCP and UDP packets with complete checksums, for the offload tests. */
public final class OffloadPackets {
    public static final byte[] SRC4 = {10, 80, 0, 2};
    public static final byte[] DST4 = {10, 80, 0, 1};
    public static final byte[] SRC6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    public static final byte[] DST6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    public static final int ACK = 0x10;
    public static final int PSH = 0x08;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;

    private OffloadPackets() {
    }

    /** A TCP packet; {@code options} must be a multiple of 4 bytes. */
    public static byte[] tcp(boolean ipv6, int sport, int dport, long seq, long ack, int flags, byte[] options, byte[] payload) {
        int ip = ipv6 ? 40 : 20;
        int tcpLength = 20 + options.length;
        byte[] p = new byte[ip + tcpLength + payload.length];
        ipHeader(p, ipv6, 6, p.length, 7);
        int l4 = ip;
        put16(p, l4, sport);
        put16(p, l4 + 2, dport);
        put32(p, l4 + 4, seq);
        put32(p, l4 + 8, ack);
        p[l4 + 12] = (byte) ((tcpLength / 4) << 4);
        p[l4 + 13] = (byte) flags;
        put16(p, l4 + 14, 65535);
        System.arraycopy(options, 0, p, l4 + 20, options.length);
        System.arraycopy(payload, 0, p, l4 + tcpLength, payload.length);
        l4Checksum(p, ipv6, 6, l4 + 16);
        return p;
    }

    /** A UDP packet. */
    public static byte[] udp(boolean ipv6, int sport, int dport, byte[] payload) {
        int ip = ipv6 ? 40 : 20;
        byte[] p = new byte[ip + 8 + payload.length];
        ipHeader(p, ipv6, 17, p.length, 9);
        put16(p, ip, sport);
        put16(p, ip + 2, dport);
        put16(p, ip + 4, 8 + payload.length);
        System.arraycopy(payload, 0, p, ip + 8, payload.length);
        l4Checksum(p, ipv6, 17, ip + 6);
        return p;
    }

    public static void ipHeader(byte[] p, boolean ipv6, int protocol, int length, int id) {
        if (ipv6) {
            p[0] = 0x60;
            put16(p, 4, length - 40);
            p[6] = (byte) protocol;
            p[7] = 64;
            System.arraycopy(SRC6, 0, p, 8, 16);
            System.arraycopy(DST6, 0, p, 24, 16);
        } else {
            p[0] = 0x45;
            put16(p, 2, length);
            put16(p, 4, id);
            p[6] = 0x40;
            p[8] = 64;
            p[9] = (byte) protocol;
            System.arraycopy(SRC4, 0, p, 12, 4);
            System.arraycopy(DST4, 0, p, 16, 4);
            put16(p, 10, 0);
            put16(p, 10, ~sum(p, 0, 20, 0) & 0xFFFF);
        }
    }

    public static void l4Checksum(byte[] p, boolean ipv6, int protocol, int at) {
        int ip = ipv6 ? 40 : 20;
        put16(p, at, 0);
        int c = ~sum(p, ip, p.length - ip, pseudo(p, ipv6, protocol, p.length - ip)) & 0xFFFF;
        put16(p, at, protocol == 17 && c == 0 ? 0xFFFF : c);
    }

    public static int pseudo(byte[] p, boolean ipv6, int protocol, int l4Length) {
        return ipv6 ? sum(p, 8, 32, protocol + l4Length) : sum(p, 12, 8, protocol + l4Length);
    }

    /** Byte-by-byte reference sum, independent of {@link io.jpair.wire.InternetChecksum}. */
    public static int sum(byte[] p, int offset, int length, int initial) {
        long s = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = p[offset + i] & 0xFF;
            int lo = i + 1 < length ? p[offset + i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        while (s >> 16 != 0) {
            s = (s & 0xFFFF) + (s >> 16);
        }
        return (int) s;
    }

    /** Whether the IPv4 header (if any) and the L4 checksum of a packet verify. */
    public static boolean checksumsValid(byte[] p) {
        boolean ipv6 = (p[0] & 0xF0) == 0x60;
        int ip = ipv6 ? 40 : 20;
        if (!ipv6 && sum(p, 0, 20, 0) != 0xFFFF) {
            return false;
        }
        int protocol = ipv6 ? p[6] : p[9];
        return sum(p, ip, p.length - ip, pseudo(p, ipv6, protocol, p.length - ip)) == 0xFFFF;
    }

    public static byte[] payload(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    public static int get16(byte[] p, int at) {
        return (p[at] & 0xFF) << 8 | (p[at + 1] & 0xFF);
    }

    public static long get32(byte[] p, int at) {
        return (long) get16(p, at) << 16 | get16(p, at + 2);
    }

    public static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    public static void put32(byte[] p, int at, long v) {
        put16(p, at, (int) (v >>> 16) & 0xFFFF);
        put16(p, at + 2, (int) v & 0xFFFF);
    }

    /** Direct buffers of the given capacity. */
    public static ByteBuffer[] buffers(int count, int capacity) {
        ByteBuffer[] bufs = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            bufs[i] = ByteBuffer.allocateDirect(capacity);
        }
        return bufs;
    }

    /** Copies a packet into a buffer at offset; limit = end of packet. */
    public static ByteBuffer place(ByteBuffer buf, int offset, byte[] packet) {
        buf.clear();
        buf.put(offset, packet);
        buf.limit(offset + packet.length).position(offset);
        return buf;
    }

    /** The bytes of {@code buf[offset, limit)}. */
    public static byte[] bytes(ByteBuffer buf, int offset) {
        byte[] b = new byte[buf.limit() - offset];
        buf.get(offset, b);
        return b;
    }

    /**
     * Turns a complete packet into a kernel-style GSO super-packet input: writes the virtio
     * header before {@code offset} and replaces the L4 checksum by the pseudo-header sum
     * (NEEDS_CSUM), as the tun driver hands it over.
     */
    public static void asKernelSuperPacket(ByteBuffer buf, int offset, int gsoType, int gsoSize) {
        byte[] p = bytes(buf, offset);
        boolean ipv6 = (p[0] & 0xF0) == 0x60;
        int ip = ipv6 ? 40 : 20;
        boolean tcp = gsoType != VirtioNetHeader.GSO_UDP_L4;
        int at = ip + (tcp ? 16 : 6);
        int l4Length = p.length - ip;
        int partial = pseudo(p, ipv6, tcp ? 6 : 17, l4Length);
        buf.put(offset + at, (byte) (partial >>> 8));
        buf.put(offset + at + 1, (byte) partial);
        int hdrLen = ip + (tcp ? ((p[ip + 12] & 0xF0) >>> 4) * 4 : 8);
        new VirtioNetHeader().wrap(buf, offset - VirtioNetHeader.LENGTH).flags(VirtioNetHeader.F_NEEDS_CSUM)
            .gsoType(gsoType).hdrLen(hdrLen).gsoSize(gsoSize).csumStart(ip).csumOffset(tcp ? 16 : 6);
    }
    /** Replaces the IPv4 addresses of a TCP or UDP packet and recomputes its checksums. */
    public static byte[] readdress(byte[] p, byte[] source, byte[] destination) {
        System.arraycopy(source, 0, p, 12, 4);
        System.arraycopy(destination, 0, p, 16, 4);
        put16(p, 10, 0);
        put16(p, 10, ~sum(p, 0, 20, 0) & 0xFFFF);
        l4Checksum(p, false, p[9], 20 + (p[9] == 6 ? 16 : 6));
        return p;
    }
}
