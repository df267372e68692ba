package io.jpair.tuntap.offload;

import io.jpair.wire.InternetChecksum;
import java.nio.ByteBuffer;

/**
 * Coalesces a batch of outbound TCP and UDP packets into GSO super-packets before they are written
 * to a TUN device opened with {@code IFF_VNET_HDR}, so the kernel receives one large packet
 * instead of dozens (generic receive offload done in user space; wireguard-go's
 * {@code tun/offload_linux.go} {@code handleGRO}, {@code tcpGRO} and {@code udpGRO}).
 *
 * <p>{@link #coalesce} looks at packets {@code bufs[0, count)}, each spanning
 * {@code [offset, limit)} of its buffer, with at least {@value VirtioNetHeader#LENGTH} bytes of
 * head-room before {@code offset}. Packets of one flow (same addresses, ports and protocol; for
 * TCP also the same acknowledgement number) are appended to the flow's first packet, in the spare
 * capacity of its buffer, when:
 * <ul>
 *   <li>both are IPv4 without options or fragmentation, or IPv6 without extension headers, with
 *       equal TOS/traffic class, TTL/hop limit, DF bit and flow label;</li>
 *   <li>TCP: only ACK (and PSH on the appended packet) is set, the TCP headers have equal length
 *       and options, the new segment's sequence number continues the first, and the first has no
 *       PSH yet (a PSH ends the super-packet);</li>
 *   <li>every segment but the last carries exactly the first one's payload size, the last at most
 *       that, and the result stays within 65535 bytes and the buffer's capacity.</li>
 * </ul>
 * Everything else (SYN/FIN/RST, pure ACKs, other protocols, fragments) is written unchanged.
 * Each packet to write gets its virtio header in its head-room: zero for a single packet (whose
 * checksums the caller completed), and for a super-packet {@code NEEDS_CSUM} with
 * {@code csum_start}/{@code csum_offset}, {@code gso_type} TCPV4/TCPV6/UDP_L4,
 * {@code gso_size} = the first payload size, and the L4 checksum field set to the pseudo-header
 * sum; the IPv4 total length and header checksum, IPv6 payload length and UDP length are updated.
 *
 * <p>The caller's buffers are modified: payloads are appended into the first packet's buffer and
 * its limit moved. Allocation-free after construction; the flow table is an open-addressing array
 * reset in O(1) per batch. Not thread-safe: one table per writing thread.
 */
public final class GroTable {
    /** Kind of a packet: not coalescible. */
    static final byte NONE = 0;
    /** Kind: TCP. */
    static final byte TCP = 1;
    /** Kind: UDP. */
    static final byte UDP = 2;

    private static final int TCP_ACK = 0x10;
    private static final int MAX_IP_PACKET = 65535;

    private final boolean tcpEnabled;
    private final boolean udpEnabled;
    private final int capacity;
    private final int mask;
    private final int[] slots;
    private final int[] slotGeneration;
    private int generation;

    private final byte[] kind;
    private final int[] ipLength;
    private final int[] l4HeaderLength;
    private final int[] gsoSize;
    private final int[] segments;
    private final boolean[] closed;
    private final int[] toWrite;
    private int writeCount;
    private final VirtioNetHeader header = new VirtioNetHeader();

    /**
     * A table for batches of up to {@code capacity} packets.
     *
     * @param capacity the largest batch
     * @param tcp coalesce TCP
     * @param udp coalesce UDP (needs {@code TUN_F_USO4/6}, Linux 6.2, on the device)
     */
    public GroTable(int capacity, boolean tcp, boolean udp) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.tcpEnabled = tcp;
        this.udpEnabled = udp;
        int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1;
        this.mask = tableSize - 1;
        this.slots = new int[tableSize];
        this.slotGeneration = new int[tableSize];
        this.kind = new byte[capacity];
        this.ipLength = new int[capacity];
        this.l4HeaderLength = new int[capacity];
        this.gsoSize = new int[capacity];
        this.segments = new int[capacity];
        this.closed = new boolean[capacity];
        this.toWrite = new int[capacity];
    }

    /**
     * The largest batch.
     *
     * @return packets
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Whether TCP packets are coalesced.
     *
     * @return true if so
     */
    public boolean tcpEnabled() {
        return tcpEnabled;
    }

    /**
     * Whether UDP packets are coalesced.
     *
     * @return true if so
     */
    public boolean udpEnabled() {
        return udpEnabled;
    }

    /**
     * Coalesces a batch and writes a virtio header before every packet to be written.
     *
     * @param bufs the packets, each {@code [offset, limit)}, direct or heap
     * @param count how many, at most {@link #capacity()}
     * @param offset where each packet starts; at least {@value VirtioNetHeader#LENGTH}
     * @return how many packets to write; their indices are {@code writeIndices()[0, result)}, in
     *     ascending order
     */
    public int coalesce(ByteBuffer[] bufs, int count, int offset) {
        if (count > capacity || offset < VirtioNetHeader.LENGTH) {
            throw new IllegalArgumentException("count " + count + " > capacity " + capacity + " or offset " + offset
                + " < " + VirtioNetHeader.LENGTH);
        }
        if (++generation == 0) {
            java.util.Arrays.fill(slotGeneration, 0);
            generation = 1;
        }
        writeCount = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer buf = bufs[i];
            segments[i] = 1;
            closed[i] = false;
            byte k = classify(buf, offset, buf.limit() - offset, i);
            kind[i] = k;
            if (k != NONE) {
                int payload = buf.limit() - offset - ipLength[i] - l4HeaderLength[i];
                gsoSize[i] = payload;
                int slot = find(bufs, buf, offset, k, i);
                if (slotGeneration[slot] == generation) {
                    int head = slots[slot];
                    if (append(bufs[head], head, buf, i, offset, k)) {
                        continue;
                    }
                } else {
                    slotGeneration[slot] = generation;
                }
                slots[slot] = i;
            }
            toWrite[writeCount++] = i;
        }
        for (int w = 0; w < writeCount; w++) {
            finish(bufs[toWrite[w]], toWrite[w], offset);
        }
        return writeCount;
    }

    /**
     * The indices of the packets to write after {@link #coalesce}. Valid until the next call.
     *
     * @return the index array (only the first {@code coalesce()} entries are meaningful)
     */
    public int[] writeIndices() {
        return toWrite;
    }

    /**
     * How many of the batch's packets packet {@code index} carries after {@link #coalesce}.
     *
     * @param index a packet index from {@link #writeIndices()}
     * @return 1 for a packet written unchanged, the segment count for a super-packet
     */
    int segmentCount(int index) {
        return segments[index];
    }

    /**
     * How many of the packets last returned are super-packets.
     *
     * @return the count
     */
    public int coalescedCount() {
        int n = 0;
        for (int w = 0; w < writeCount; w++) {
            if (segments[toWrite[w]] > 1) {
                n++;
            }
        }
        return n;
    }

    private byte classify(ByteBuffer buf, int offset, int length, int i) {
        if (length < 20) {
            return NONE;
        }
        int b0 = buf.get(offset) & 0xFF;
        int ip;
        int protocol;
        if (b0 == 0x45) {
            if (GsoSplitter.u16(buf, offset + 2) != length || (GsoSplitter.u16(buf, offset + 6) & 0x3FFF) != 0) {
                return NONE;
            }
            ip = 20;
            protocol = buf.get(offset + 9) & 0xFF;
        } else if ((b0 & 0xF0) == 0x60) {
            if (length < 40 || GsoSplitter.u16(buf, offset + 4) + 40 != length) {
                return NONE;
            }
            ip = 40;
            protocol = buf.get(offset + 6) & 0xFF;
        } else {
            return NONE;
        }
        int l4 = offset + ip;
        if (protocol == GsoSplitter.PROTO_TCP && tcpEnabled) {
            if (length < ip + 20) {
                return NONE;
            }
            int tcpLength = ((buf.get(l4 + 12) & 0xF0) >>> 4) * 4;
            int flags = buf.get(l4 + 13) & 0xFF;
            if (tcpLength < 20 || ip + tcpLength >= length || (flags & ~(TCP_ACK | GsoSplitter.TCP_PSH)) != 0
                    || (flags & TCP_ACK) == 0) {
                return NONE;
            }
            ipLength[i] = ip;
            l4HeaderLength[i] = tcpLength;
            return TCP;
        }
        if (protocol == GsoSplitter.PROTO_UDP && udpEnabled) {
            if (length <= ip + 8 || GsoSplitter.u16(buf, l4 + 4) != length - ip) {
                return NONE;
            }
            ipLength[i] = ip;
            l4HeaderLength[i] = 8;
            return UDP;
        }
        return NONE;
    }

    /** The slot of this packet's flow, or a free slot (not yet marked) if the flow is new. */
    private int find(ByteBuffer[] bufs, ByteBuffer buf, int offset, byte k, int i) {
        int ip = ipLength[i];
        int hash;
        if (ip == 20) {
            hash = buf.getInt(offset + 12) * 31 + buf.getInt(offset + 16);
        } else {
            hash = buf.getInt(offset + 8) ^ buf.getInt(offset + 20) * 31 ^ buf.getInt(offset + 24) * 17
                ^ buf.getInt(offset + 36);
        }
        hash = hash * 31 + buf.getInt(offset + ip) + k;
        hash ^= hash >>> 16;
        hash *= 0x85EBCA6B;
        hash ^= hash >>> 13;
        int slot = hash & mask;
        while (slotGeneration[slot] == generation) {
            int other = slots[slot];
            if (kind[other] == k && sameFlow(bufs[other], other, buf, i, offset, k)) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private boolean sameFlow(ByteBuffer a, int ia, ByteBuffer b, int ib, int offset, byte k) {
        int ip = ipLength[ib];
        if (ipLength[ia] != ip) {
            return false;
        }
        if (ip == 20) {
            if (a.getLong(offset + 12) != b.getLong(offset + 12)) {
                return false;
            }
        } else {
            for (int x = 8; x < 40; x += 8) {
                if (a.getLong(offset + x) != b.getLong(offset + x)) {
                    return false;
                }
            }
        }
        if (a.getInt(offset + ip) != b.getInt(offset + ip)) {
            return false;
        }
        return k != TCP || a.getInt(offset + ip + 8) == b.getInt(offset + ip + 8);
    }

    private boolean append(ByteBuffer head, int h, ByteBuffer buf, int i, int offset, byte k) {
        if (closed[h]) {
            return false;
        }
        int ip = ipLength[h];
        int headers = ip + l4HeaderLength[h];
        int payload = gsoSize[i];
        if (payload > gsoSize[h] || l4HeaderLength[i] != l4HeaderLength[h]) {
            return false;
        }
        int headLength = head.limit() - offset;
        int newLength = headLength + payload;
        if (newLength > MAX_IP_PACKET || head.limit() + payload > head.capacity()) {
            return false;
        }
        if (ip == 20) {
            // TOS, DF and TTL must match.
            if (head.get(offset + 1) != buf.get(offset + 1) || (head.get(offset + 6) & 0x40) != (buf.get(offset + 6) & 0x40)
                    || head.get(offset + 8) != buf.get(offset + 8)) {
                return false;
            }
        } else if (head.getInt(offset) != buf.getInt(offset) || head.get(offset + 7) != buf.get(offset + 7)) {
            return false;
        }
        int l4 = offset + ip;
        if (k == TCP) {
            if ((head.get(l4 + 13) & GsoSplitter.TCP_PSH) != 0) {
                return false;
            }
            long headSeq = GsoSplitter.u32(head, l4 + 4);
            long seq = GsoSplitter.u32(buf, l4 + 4);
            if (((headSeq + headLength - headers) & 0xFFFFFFFFL) != seq) {
                return false;
            }
            for (int x = 20; x < l4HeaderLength[h]; x++) {
                if (head.get(l4 + x) != buf.get(l4 + x)) {
                    return false;
                }
            }
            if ((buf.get(l4 + 13) & GsoSplitter.TCP_PSH) != 0) {
                head.put(l4 + 13, (byte) (head.get(l4 + 13) | GsoSplitter.TCP_PSH));
                closed[h] = true;
            }
        }
        int end = head.limit();
        head.limit(end + payload);
        head.put(end, buf, offset + headers, payload);
        segments[h]++;
        if (payload < gsoSize[h]) {
            closed[h] = true;
        }
        return true;
    }

    private void finish(ByteBuffer buf, int i, int offset) {
        header.wrap(buf, offset - VirtioNetHeader.LENGTH);
        if (segments[i] == 1) {
            header.clear();
            return;
        }
        int ip = ipLength[i];
        int length = buf.limit() - offset;
        int l4Length = length - ip;
        boolean ipv6 = ip == 40;
        if (ipv6) {
            GsoSplitter.putU16(buf, offset + 4, l4Length);
        } else {
            GsoSplitter.putU16(buf, offset + 2, length);
            GsoSplitter.putU16(buf, offset + 10, 0);
            GsoSplitter.putU16(buf, offset + 10, InternetChecksum.finish(InternetChecksum.sum(buf, offset, 20, 0)));
        }
        int l4 = offset + ip;
        boolean tcp = kind[i] == TCP;
        int checksumOffset = tcp ? 16 : 6;
        if (!tcp) {
            GsoSplitter.putU16(buf, l4 + 4, l4Length);
        }
        int protocol = tcp ? GsoSplitter.PROTO_TCP : GsoSplitter.PROTO_UDP;
        GsoSplitter.putU16(buf, l4 + checksumOffset,
            InternetChecksum.pseudoHeaderSum(buf, offset, ipv6, protocol, l4Length));
        header.flags(VirtioNetHeader.F_NEEDS_CSUM)
            .gsoType(tcp ? (ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4) : VirtioNetHeader.GSO_UDP_L4)
            .hdrLen(ip + l4HeaderLength[i])
            .gsoSize(gsoSize[i])
            .csumStart(ip)
            .csumOffset(checksumOffset);
    }
}
