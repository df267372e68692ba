package io.jpair.testing;

import io.jpair.errno.Errno;
import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * An in-memory TUN/TAP device behind one fd of a {@link MemoryIOSystem} (Twisted's
 * {@code twisted.pair.testing.Tunnel}): packets the test queues with {@link #addToReadBuffer}
 * are what the port reads; what the port writes lands in {@link #writeBuffer()}.
 *
 * <p>Behaviour, as the kernel's: reading an empty non-blocking tunnel gives {@code EAGAIN} (or
 * {@link #nonBlockingErrno(int) another errno}); without {@code IFF_NO_PI} each read starts with a
 * 4-byte packet-information header; a read longer than the buffer is truncated. Faults are
 * scripted: {@link #injectReadFault}/{@link #injectWriteFault} fail the next calls with an errno,
 * {@link #failReadsWith}/{@link #failWritesWith} fail every call until cleared (e.g. {@code EIO}
 * while the link is down), {@link #pendingSignals} makes writes fail once each with
 * {@code EINTR}, and writes longer than {@link #sendBufferSize(int)} fail with {@code ENOBUFS}.
 *
 * <p>With {@code IFF_VNET_HDR} the tunnel holds exactly the bytes that cross the fd, virtio
 * header first: {@link #addToReadBuffer} puts a zero header (one complete packet) before the IP
 * packet, a test can queue its own header and super-packet in {@link #readBuffer()}, every
 * {@link #writeBuffer()} entry starts with the header the port wrote, and
 * {@link #writtenPackets()} gives the IP packets the kernel would see, super-packets split.
 *
 * <p>Single-threaded, like the port that uses it.
 */
public final class MemoryTunnel {
    /** Twisted's send buffer limit: longer writes fail with ENOBUFS. */
    public static final int DEFAULT_SEND_BUFFER_SIZE = 65536 + 64;
    /** Size of the packet-information header. */
    public static final int PI_SIZE = 4;

    private final int openFlags;
    private final Deque<byte[]> readBuffer = new ArrayDeque<>();
    private final List<byte[]> writeBuffer = new ArrayList<>();
    private final Deque<Integer> readFaults = new ArrayDeque<>();
    private final Deque<Integer> writeFaults = new ArrayDeque<>();
    private int stickyReadErrno;
    private int stickyWriteErrno;
    private int pendingSignals;
    private int nonBlockingErrno = Errno.EAGAIN;
    private int sendBufferSize = DEFAULT_SEND_BUFFER_SIZE;
    private int tunnelMode = -1;
    private String requestedName;
    private String name;
    private boolean closed;
    private boolean recycle;
    private boolean recordWrites = true;
    private long writeCount;
    private int virtioHeaderSize = VirtioNetHeader.LENGTH;
    private int offloads;

    MemoryTunnel(int openFlags) {
        this.openFlags = openFlags;
    }

    /**
     * The flags the tunnel was opened with.
     *
     * @return {@code O_*} flags
     */
    public int openFlags() {
        return openFlags;
    }

    /**
     * Whether it was opened without {@code O_NONBLOCK}.
     *
     * @return true if blocking
     */
    public boolean blocking() {
        return (openFlags & IOSystem.O_NONBLOCK) == 0;
    }

    /**
     * Whether it was opened with {@code O_CLOEXEC}.
     *
     * @return true if close-on-exec
     */
    public boolean closeOnExec() {
        return (openFlags & IOSystem.O_CLOEXEC) != 0;
    }

    /**
     * The flags given to {@code TUNSETIFF}.
     *
     * @return the flags, or -1 before {@code TUNSETIFF}
     */
    public int tunnelMode() {
        return tunnelMode;
    }

    /**
     * The name given to {@code TUNSETIFF}.
     *
     * @return the requested name (maybe a {@code %d} pattern), or {@code null}
     */
    public String requestedName() {
        return requestedName;
    }

    /**
     * The device name after {@code TUNSETIFF}.
     *
     * @return e.g. {@code tun0}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Whether the fd was closed.
     *
     * @return true after close
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * What the port wrote, one array per packet, in order.
     *
     * @return the live list
     */
    public List<byte[]> writeBuffer() {
        return writeBuffer;
    }

    /**
     * What waits to be read.
     *
     * @return the live queue
     */
    public Deque<byte[]> readBuffer() {
        return readBuffer;
    }

    /**
     * Queues an IP packet for reading; on a TAP device it is wrapped in an Ethernet frame
     * (source 00:00:00:00:00:00, destination ff:ff:ff:ff:ff:ff, EtherType from the IP version), as
     * Twisted's fake does.
     *
     * @param ipPacket the packet
     * @throws IllegalStateException before {@code TUNSETIFF}
     */
    public void addToReadBuffer(byte[] ipPacket) {
        if (tunnelMode < 0) {
            throw new IllegalStateException("TUNSETIFF has not configured this tunnel yet");
        }
        byte[] packet = ipPacket;
        if ((tunnelMode & TunnelFlags.IFF_TAP.value()) != 0) {
            byte[] broadcast = {-1, -1, -1, -1, -1, -1};
            packet = Packets.ethernet(new byte[6], broadcast, Packets.etherTypeOf(ipPacket), ipPacket);
        }
        if (hasVirtioHeader()) {
            byte[] withHeader = new byte[virtioHeaderSize + packet.length];
            System.arraycopy(packet, 0, withHeader, virtioHeaderSize, packet.length);
            packet = withHeader;
        }
        readBuffer.add(packet == ipPacket ? ipPacket.clone() : packet);
    }

    /**
     * Whether the device was set up with {@code IFF_VNET_HDR}.
     *
     * @return true if every read and write starts with a virtio header
     */
    public boolean hasVirtioHeader() {
        return tunnelMode >= 0 && (tunnelMode & TunnelFlags.IFF_VNET_HDR.value()) != 0;
    }

    /**
     * The virtio header size set with {@code TUNSETVNETHDRSZ}.
     *
     * @return bytes (10 until set)
     */
    public int virtioHeaderSize() {
        return virtioHeaderSize;
    }

    /**
     * The {@code TUN_F_*} bits set with {@code TUNSETOFFLOAD}.
     *
     * @return the bits, 0 until set
     */
    public int offloads() {
        return offloads;
    }

    /**
     * The IP packets (or frames) the port wrote, as the kernel would take them: without a virtio
     * header, one per {@link #writeBuffer()} entry; with one, each entry's header removed and a
     * GSO super-packet split into its segments (checksums completed), as the kernel's segmentation
     * would.
     *
     * @return a new list
     * @throws IllegalStateException if an entry's virtio header does not describe it
     */
    public List<byte[]> writtenPackets() {
        if (!hasVirtioHeader()) {
            return new ArrayList<>(writeBuffer);
        }
        List<byte[]> packets = new ArrayList<>();
        VirtioNetHeader header = new VirtioNetHeader();
        ByteBuffer segment = ByteBuffer.allocate(65536);
        for (byte[] written : writeBuffer) {
            ByteBuffer buffer = ByteBuffer.wrap(written);
            header.wrap(buffer, 0);
            int length = written.length - virtioHeaderSize;
            int count = GsoSplitter.segmentCount(header, buffer, virtioHeaderSize, length);
            if (count < 0) {
                throw new IllegalStateException("write " + packets.size() + ": malformed virtio header or packet");
            }
            for (int i = 0; i < count; i++) {
                int size = GsoSplitter.segment(header, buffer, virtioHeaderSize, length, i, segment, 0);
                if (size < 0) {
                    throw new IllegalStateException("write " + packets.size() + ": the virtio header does not fit"
                        + " the packet (" + size + ")");
                }
                packets.add(Arrays.copyOf(segment.array(), size));
            }
        }
        return packets;
    }

    void virtioHeaderSize(int size) {
        virtioHeaderSize = size;
    }

    void offloads(int bits) {
        offloads = bits;
    }

    /**
     * Fails the next read with {@code errno} (several calls queue several faults).
     *
     * @param errno e.g. {@link Errno#EIO}
     */
    public void injectReadFault(int errno) {
        readFaults.add(errno);
    }

    /**
     * Fails the next write with {@code errno}.
     *
     * @param errno e.g. {@link Errno#ENOBUFS}
     */
    public void injectWriteFault(int errno) {
        writeFaults.add(errno);
    }

    /**
     * Fails every read with {@code errno} until called with 0.
     *
     * @param errno the errno, or 0 to stop
     */
    public void failReadsWith(int errno) {
        stickyReadErrno = errno;
    }

    /**
     * Fails every write with {@code errno} until called with 0.
     *
     * @param errno the errno, or 0 to stop
     */
    public void failWritesWith(int errno) {
        stickyWriteErrno = errno;
    }

    /**
     * Makes the next {@code count} writes fail once each with {@code EINTR} (Twisted's
     * {@code pendingSignals}).
     *
     * @param count how many
     */
    public void pendingSignals(int count) {
        pendingSignals = count;
    }

    /**
     * The errno an empty non-blocking read gives ({@code EAGAIN} by default).
     *
     * @param errno e.g. {@link Errno#EINTR}
     */
    public void nonBlockingErrno(int errno) {
        nonBlockingErrno = errno;
    }

    /**
     * Writes longer than this fail with {@code ENOBUFS} (Twisted's fake used 1024).
     *
     * @param bytes the limit
     */
    public void sendBufferSize(int bytes) {
        sendBufferSize = bytes;
    }

    void configure(int mode, String requested, String assigned) {
        tunnelMode = mode;
        requestedName = requested;
        name = assigned;
    }

    void markClosed() {
        closed = true;
    }

    /** Reads one packet into {@code dst[0, room)}; returns its length or -errno. Allocates nothing. */
    int read(MemorySegment dst, int room) {
        if (!readFaults.isEmpty()) {
            return -readFaults.poll();
        }
        if (stickyReadErrno != 0) {
            return -stickyReadErrno;
        }
        byte[] packet = readBuffer.poll();
        if (packet == null) {
            if (blocking()) {
                throw new UnsupportedOperationException("a blocking read on an empty MemoryTunnel would hang forever");
            }
            return -nonBlockingErrno;
        }
        int offset = 0;
        if (tunnelMode >= 0 && (tunnelMode & TunnelFlags.IFF_NO_PI.value()) == 0 && room >= PI_SIZE) {
            int proto = (tunnelMode & TunnelFlags.IFF_TAP.value()) != 0 ? Packets.etherTypeOfFrame(packet)
                : Packets.etherTypeOf(packet);
            dst.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0, proto);
            offset = PI_SIZE;
        }
        int length = Math.min(packet.length, room - offset);
        MemorySegment.copy(packet, 0, dst, ValueLayout.JAVA_BYTE, offset, length);
        if (recycle) {
            readBuffer.add(packet);
        }
        return offset + length;
    }

    /**
     * Re-queues every packet after it is read, so a fixed set of packets is read forever: for
     * allocation and throughput tests of the read path.
     *
     * @param value true to recycle
     */
    public void recycleReads(boolean value) {
        recycle = value;
    }

    /**
     * Whether written packets are kept in {@link #writeBuffer()}; when false they are only counted,
     * so the write path allocates nothing (for allocation tests).
     *
     * @param value false to discard
     */
    public void recordWrites(boolean value) {
        recordWrites = value;
    }

    /**
     * Packets accepted by write, recorded or not.
     *
     * @return the count
     */
    public long writeCount() {
        return writeCount;
    }

    /** Accepts one packet from {@code src[0, length)}; returns its length or -errno. */
    int write(MemorySegment src, int length) {
        int fault = writeFault(length);
        if (fault != 0) {
            return -fault;
        }
        writeCount++;
        if (recordWrites) {
            writeBuffer.add(src.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        }
        return length;
    }

    /** Accepts one packet; returns its length or -errno. */
    int write(byte[] packet) {
        int fault = writeFault(packet.length);
        if (fault != 0) {
            return -fault;
        }
        writeCount++;
        if (recordWrites) {
            writeBuffer.add(packet);
        }
        return packet.length;
    }

    private int writeFault(int length) {
        if (!writeFaults.isEmpty()) {
            return writeFaults.poll();
        }
        if (pendingSignals > 0) {
            pendingSignals--;
            return Errno.EINTR;
        }
        if (stickyWriteErrno != 0) {
            return stickyWriteErrno;
        }
        return length > sendBufferSize ? Errno.ENOBUFS : 0;
    }

    @Override
    public String toString() {
        return "MemoryTunnel[" + name + ", mode=" + (tunnelMode < 0 ? "unset" : TunnelFlags.of(tunnelMode).name())
            + ", queued=" + readBuffer.size() + ", written=" + writeBuffer.size() + "]";
    }
}
