package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.Reactor;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.tuntap.offload.WriteBatch;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The send path of a {@link TuntapPort}: one packet per {@code write}/{@code writev} in the
 * device's {@link Framing}, or held for coalescing ({@link HeldWrites}). At most one copy per
 * packet: a direct buffer is written from its own memory (its native view cached, so nothing is
 * allocated), a heap buffer or array is copied once into the port's native write buffer, and a
 * held packet is copied once into its batch slot. Results follow {@link TuntapPort#write}: bytes
 * written, 0 for a full queue (counted), an {@link ErrnoException} for anything else.
 */
final class DeviceWriter {
    private static final ByteBuffer ZERO_VNET_HEADER = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH)
        .asReadOnlyBuffer();
    private static final int DIRECT_SLOTS = 8;

    private final Reactor reactor;
    private final DeviceCounters counters;
    private final String logPrefix;
    private final MemorySegment segment;
    private final ByteBuffer view;
    private final SegmentCache direct = new SegmentCache(DIRECT_SLOTS);
    private final boolean txOffload;
    private final Arena arena;
    private final VirtioNetHeader superHeader = new VirtioNetHeader();
    private ByteBuffer[] sequence = new ByteBuffer[8];
    private TunDevice device;
    private Framing framing;
    private HeldWrites held;

    DeviceWriter(Arena arena, Reactor reactor, DeviceCounters counters, String logPrefix, boolean txOffload) {
        this.arena = arena;
        this.reactor = reactor;
        this.counters = counters;
        this.logPrefix = logPrefix;
        this.txOffload = txOffload;
        this.segment = arena.allocate(TuntapPort.MAX_WRITE_SIZE + VirtioNetHeader.LENGTH, 64);
        this.view = segment.asByteBuffer();
    }

    /** Writes go to {@code opened} from now on (a port's start), framed as it reads. */
    void attach(TunDevice opened, Framing readFraming, boolean udp) {
        this.device = opened;
        this.framing = readFraming;
        if (held == null && txOffload && opened.hasVirtioHeader()) {
            held = new HeldWrites(arena, udp && Offloads.hasUso(opened.offloads()), counters, reactor, logPrefix);
        }
    }

    int write(ByteBuffer packet, boolean mayHold) throws ErrnoException {
        int length = packet.remaining();
        if (holds(mayHold, length)) {
            held.room(device).add(packet);
            return length;
        }
        int header = framing.headerLength();
        if (!packet.isDirect() || length == 0) {
            view.put(header, packet, packet.position(), length);
            return writeView(header, length);
        }
        if (header == 0) {
            return written(device.write(direct.find(packet, packet.position()), length), length, "write");
        }
        ByteBuffer[] all = sequence(2);
        all[0] = ZERO_VNET_HEADER;
        all[1] = packet;
        long n = device.writev(all, 0, 2);
        all[0] = null;
        all[1] = null;
        return written(n > 0 ? n - header : n, length, "writev");
    }

    int write(byte[] packet, boolean mayHold) throws ErrnoException {
        if (holds(mayHold, packet.length)) {
            held.room(device).add(packet);
            return packet.length;
        }
        view.put(framing.headerLength(), packet, 0, packet.length);
        return writeView(framing.headerLength(), packet.length);
    }

    int writeSequence(List<ByteBuffer> parts, boolean mayHold) throws ErrnoException {
        int count = parts.size();
        ByteBuffer[] all = sequence(count + 1);
        for (int i = 0; i < count; i++) {
            all[i + 1] = parts.get(i);
        }
        try {
            return writeSequence(all, 1, count, mayHold);
        } finally {
            Arrays.fill(all, 0, count + 1, null);
        }
    }

    /** One packet from several buffers, one {@code writev}; a virtio header goes in front as one more part. */
    int writeSequence(ByteBuffer[] parts, int offset, int count, boolean mayHold) throws ErrnoException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += parts[offset + i].remaining();
        }
        if (total > TuntapPort.MAX_WRITE_SIZE) {
            throw new ErrnoException("writev", device.name(), Errno.EMSGSIZE,
                total + " bytes is more than a packet (" + TuntapPort.MAX_WRITE_SIZE + ")");
        }
        if (holds(mayHold, (int) total)) {
            held.room(device).add(parts, offset, count, (int) total);
            return (int) total;
        }
        int header = framing.headerLength();
        if (header == 0) {
            return written(device.writev(parts, offset, count), total, "writev");
        }
        ByteBuffer[] all = parts;
        if (parts != sequence || offset != 1) {
            all = sequence(count + 1);
            System.arraycopy(parts, offset, all, 1, count);
        }
        all[0] = ZERO_VNET_HEADER;
        long n = device.writev(all, 0, count + 1);
        Arrays.fill(all, 0, count + 1, null);
        return written(n > 0 ? n - header : n, total, "writev");
    }

    /**
     * One TCP super-packet with a virtio header asking the kernel to segment it (TSO), after the
     * held writes; see {@code SegmentOffload.writeTcpSuperPacket}. One copy, into the write buffer,
     * where the TCP checksum field gets the pseudo-header sum.
     */
    int writeTcpSuperPacket(ByteBuffer packet, int mss) throws ErrnoException {
        int at = packet.position();
        int length = packet.remaining();
        if (mss < 1 || mss > 65535) {
            throw new IllegalArgumentException(device.name() + ": TCP super-packet MSS must be 1 to 65535, not " + mss);
        }
        if (length < 40 || length > 65535) {
            throw new IllegalArgumentException(device.name() + ": a " + length
                + "-byte packet is no TCP super-packet (40 to 65535 bytes of IP packet)");
        }
        int first = packet.get(at) & 0xFF;
        boolean ipv6 = first >>> 4 == 6;
        int ipLength;
        if (first >>> 4 == 4) {
            ipLength = (first & 0x0F) * 4;
            if (ipLength < 20 || (packet.get(at + 9) & 0xFF) != 6 || NetworkOrder.u16(packet, at + 2) != length) {
                throw new IllegalArgumentException(device.name() + ": TCP super-packet needs an IPv4 header for TCP whose "
                    + "total length is the packet's " + length + " bytes");
            }
        } else if (ipv6) {
            ipLength = 40;
            if ((packet.get(at + 6) & 0xFF) != 6 || NetworkOrder.u16(packet, at + 4) != length - 40) {
                throw new IllegalArgumentException(device.name() + ": TCP super-packet needs an IPv6 header for TCP (no "
                    + "extension headers) whose payload length is the packet's " + (length - 40) + " bytes");
            }
        } else {
            throw new IllegalArgumentException(device.name() + ": TCP super-packet is neither IPv4 nor IPv6 (version "
                + (first >>> 4) + ")");
        }
        int tcpLength = ((packet.get(at + ipLength + 12) & 0xF0) >>> 4) * 4;
        if (tcpLength < 20 || ipLength + tcpLength > length) {
            throw new IllegalArgumentException(device.name() + ": TCP super-packet's TCP header (" + tcpLength
                + " bytes) does not fit its " + length + " bytes");
        }
        flush();
        int h = VirtioNetHeader.LENGTH;
        view.limit(view.capacity());
        view.put(h, packet, at, length);
        int l4Length = length - ipLength;
        NetworkOrder.u16(view, h + ipLength + 16, InternetChecksum.pseudoHeaderSum(view, h, ipv6, 6, l4Length));
        int payload = l4Length - tcpLength;
        boolean segmented = payload > mss;
        superHeader.wrap(view, 0).flags(VirtioNetHeader.F_NEEDS_CSUM)
            .gsoType(segmented ? (ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4) : VirtioNetHeader.GSO_NONE)
            .hdrLen(ipLength + tcpLength).gsoSize(segmented ? mss : 0).csumStart(ipLength).csumOffset(16);
        int n = device.write(segment, h + length);
        if (n < 0) {
            return written(n, length, "write");
        }
        int segments = segmented ? (payload + mss - 1) / mss : 1;
        counters.written(segments, n - h);
        if (segmented) {
            counters.superPacketWritten();
        }
        return n - h;
    }

    /** Writes every held packet, coalesced. */
    void flush() {
        if (held != null) {
            held.flush(device);
        }
    }

    private boolean holds(boolean mayHold, int length) {
        return mayHold && held != null && length <= WriteBatch.MAX_PACKET;
    }

    private ByteBuffer[] sequence(int count) {
        if (sequence.length < count) {
            sequence = Arrays.copyOf(sequence, Math.max(count, sequence.length * 2));
        }
        return sequence;
    }

    private int writeView(int header, int length) throws ErrnoException {
        framing.putHeader(view, 0);
        int n = device.write(segment, header + length);
        return written(n > 0 ? n - header : n, length, "write");
    }

    private int written(long n, long length, String operation) throws ErrnoException {
        if (n >= 0) {
            counters.written(1, n);
            return (int) n;
        }
        int errno = (int) -n;
        if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
            counters.droppedWrites(1);
            return 0;
        }
        throw new ErrnoException(operation, device.name(), errno, errno == Errno.EINVAL
            ? "the kernel rejected this " + length + "-byte packet for this device type"
            : DeviceErrors.hint(operation, errno));
    }
}

