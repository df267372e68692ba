package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.Reactor;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.tuntap.offload.WriteBatch;
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

