package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.offload.GroTable;
import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One queue (one fd) of a TUN device with a batch API and optional virtio-net offloads: reads
 * and writes up to {@value #IDEAL_BATCH_SIZE} packets per call into caller buffers with head-room
 * (wireguard-go's {@code Device.Read(bufs, sizes, offset)} / {@code Write(bufs, offset)}).
 *
 * <pre>{@code
 * TunQueue queue = TunQueue.open("tun%d", TunnelOptions.defaults(), OffloadOptions.enabled());
 * ByteBuffer[] bufs = new ByteBuffer[TunQueue.IDEAL_BATCH_SIZE];   // direct, e.g. 65535 + 16 each
 * int[] sizes = new int[bufs.length];
 * int n = queue.read(bufs, sizes, 16);      // packets at bufs[i][16, 16 + sizes[i])
 * queue.write(bufs, n, 16);                 // echo them back, coalesced
 * }</pre>
 *
 * <p><b>Offload.</b> With {@link OffloadOptions#any()} the device is opened with
 * {@code IFF_VNET_HDR} (10-byte header) and {@code TUNSETOFFLOAD} is negotiated
 * ({@link TunDevice#open}: {@code CSUM|TSO4|TSO6} plus {@code USO4|USO6} when the kernel
 * accepts them; failure falls back to fewer offloads, then none). {@link #read} then receives
 * super-packets of up to 64 KiB and splits them into wire-size packets with completed checksums
 * ({@link GsoSplitter}); {@link #write} coalesces TCP/UDP flows into super-packets
 * ({@link GroTable}). {@link #readVirtio}/{@link #writeVirtio} pass super-packets and their virtio
 * header through unchanged, for forwarders between offload-capable devices. Without offload,
 * {@link #read} reads plain packets straight into the caller's buffers until {@code EAGAIN} or the
 * batch is full, and {@link #write} writes them one by one.
 *
 * <p><b>Buffers.</b> Batch buffers must be direct. {@code offset} is the head-room before each
 * packet: at least {@value VirtioNetHeader#LENGTH} bytes when the queue has a virtio header. A
 * read sets {@code sizes[i]}, and position/limit of {@code bufs[i]} to the packet. A write takes
 * packet {@code i} as {@code bufs[i][offset, limit)}, may modify the buffers (coalescing appends
 * payload into a flow's first buffer, up to its capacity, and writes virtio headers into the
 * head-room), and keeps none of them after returning. The fd-facing memory views of the buffers
 * are cached per batch slot, so steady-state calls allocate nothing.
 *
 * <p><b>Multi-queue.</b> {@link #openQueues} opens {@code N} fds on one {@code IFF_MULTI_QUEUE}
 * device; {@link #open} with {@link TunnelOptions#withMultiQueue} attaches one more queue to an
 * existing multi-queue device; {@link #detach}/{@link #attach} take a queue out of and back into
 * the kernel's flow steering ({@code TUNSETQUEUE}). The kernel spreads flows over the attached
 * queues by flow hash; drive each queue from its own thread and {@code EpollReactor} with a
 * {@link TunQueueReader}.
 *
 * <p><b>Threading.</b> A queue is used by one thread at a time: its scratch memory, coalescing
 * table and buffer views are not synchronised. Counters may be read from any thread.
 *
 * <p><b>Errors.</b> {@code EAGAIN}/{@code EINTR} end a read batch; {@code EAGAIN}/{@code ENOBUFS}
 * on write drop the packet and count it. Packets the splitter cannot handle (malformed, or more
 * segments than the whole batch) are dropped and counted in {@link DeviceCounters#droppedReads()}. Other errors
 * throw an {@link ErrnoException} naming the device (a read error after some packets were read
 * is reported by the next call). A detached queue receives nothing (reads give {@code EAGAIN}).
 */
public final class TunQueue implements AutoCloseable {
    /** wireguard-go's {@code conn.IdealBatchSize}: packets per batch call. */
    public static final int IDEAL_BATCH_SIZE = 128;
    /** The largest packet a device with a virtio header can hand over, with that header. */
    public static final int SCRATCH_SIZE = VirtioNetHeader.MAX_FRAME_LENGTH;

    private static final int NEEDS_ROOM = -100;

    private final TunDevice device;
    private final GroTable gro;
    private final MemorySegment scratchSegment;
    private final ByteBuffer scratch;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final SegmentCache readCache = new SegmentCache(IDEAL_BATCH_SIZE);
    private final SegmentCache writeCache = new SegmentCache(IDEAL_BATCH_SIZE);
    private final DeviceCounters counters = new DeviceCounters();
    private ByteBuffer[] window;
    private boolean pending;
    private int pendingLength;

    private TunQueue(TunDevice device, OffloadOptions offload) {
        this.device = device;
        boolean vnet = device.hasVirtioHeader();
        boolean udpGro = offload.udp() && Offloads.hasUso(device.offloads());
        this.gro = vnet && offload.txOffload() ? new GroTable(IDEAL_BATCH_SIZE, true, udpGro) : null;
        this.scratchSegment = vnet ? Arena.ofAuto().allocate(SCRATCH_SIZE, 64) : null;
        // Little-endian: the checksum of split payloads is summed from here, faster without byte swaps.
        this.scratch = vnet ? scratchSegment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN) : null;
    }

    /**
     * Opens a queue on the real system.
     *
     * @param name the device name or pattern (e.g. {@code "tun%d"})
     * @param options device options ({@code packetInformation} must be off)
     * @param offload the offload switches
     * @return the open queue
     * @throws ErrnoException naming the failed call; nothing is left open
     */
    public static TunQueue open(String name, TunnelOptions options, OffloadOptions offload) throws ErrnoException {
        return open(name, options, offload, RealIOSystem.INSTANCE);
    }

    /**
     * Opens a queue: {@code open(/dev/net/tun)}, {@code TUNSETIFF} with
     * {@code IFF_TUN|IFF_NO_PI} (plus {@code IFF_VNET_HDR} when offloading, plus the options'
     * flags), {@code TUNSETVNETHDRSZ 10} and {@code TUNSETOFFLOAD} negotiation, and the options'
     * persist/owner/group ioctls.
     *
     * @param name the device name or pattern
     * @param options device options ({@code packetInformation} must be off)
     * @param offload the offload switches
     * @param system the system calls
     * @return the open queue
     * @throws ErrnoException naming the failed call; the fd is closed
     */
    public static TunQueue open(String name, TunnelOptions options, OffloadOptions offload, IOSystem system)
            throws ErrnoException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(offload, "offload");
        if (options.packetInformation()) {
            throw new IllegalArgumentException("TunQueue does not support the packet-information header");
        }
        return new TunQueue(TunDevice.open(name, TunnelFlags.IFF_TUN, options, offload, system), offload);
    }

    /**
     * Opens {@code count} queues of one multi-queue device on the real system; see
     * {@link #openQueues(String, int, TunnelOptions, OffloadOptions, IOSystem)}.
     *
     * @param name the device name or pattern
     * @param count how many queues
     * @param options device options; multi-queue is added
     * @param offload the offload switches, the same for every queue
     * @return the queues
     * @throws ErrnoException naming the failed call
     */
    public static TunQueue[] openQueues(String name, int count, TunnelOptions options, OffloadOptions offload)
            throws ErrnoException {
        return openQueues(name, count, options, offload, RealIOSystem.INSTANCE);
    }

    /**
     * Opens {@code count} queues of one multi-queue device ({@code IFF_MULTI_QUEUE}, one fd each).
     * The first creates the device (or attaches to an existing multi-queue one); the others
     * attach to it by the name the kernel chose.
     *
     * @param name the device name or pattern
     * @param count how many queues (the kernel allows up to 256)
     * @param options device options; multi-queue is added
     * @param offload the offload switches, the same for every queue
     * @param system the system calls
     * @return the queues; on failure every queue already opened is closed
     * @throws ErrnoException naming the failed call
     */
    public static TunQueue[] openQueues(String name, int count, TunnelOptions options, OffloadOptions offload,
            IOSystem system) throws ErrnoException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        TunQueue[] queues = new TunQueue[count];
        TunnelOptions multi = options.withMultiQueue(true);
        try {
            queues[0] = open(name, multi, offload, system);
            TunnelOptions attach = multi.withExclusive(false);
            for (int i = 1; i < count; i++) {
                queues[i] = open(queues[0].interfaceName(), attach, offload, system);
            }
            return queues;
        } catch (ErrnoException | RuntimeException e) {
            for (TunQueue queue : queues) {
                if (queue != null) {
                    queue.close();
                }
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads a batch: packets into {@code bufs[i][offset, offset + sizes[i])}, until the batch is
     * full or the device has nothing more ({@code EAGAIN}). With offload, super-packets are split
     * and checksums completed; a super-packet that does not fit in the rest of the batch is kept
     * for the next call.
     *
     * @param bufs direct buffers, each with room for a packet at {@code offset} (the MTU, e.g.
     *     1500)
     * @param sizes receives the packet lengths
     * @param offset head-room before each packet
     * @return the number of packets, 0 when none was ready
     * @throws ErrnoException for read errors other than {@code EAGAIN}/{@code EINTR}
     */
    public int read(ByteBuffer[] bufs, int[] sizes, int offset) throws ErrnoException {
        if (!device.hasVirtioHeader()) {
            return readDirect(bufs, sizes, offset, 0);
        }
        int n = 0;
        if (pending) {
            int produced = splitScratch(bufs, sizes, 0, offset);
            if (produced == NEEDS_ROOM) {
                return 0;
            }
            n += produced;
        }
        int capacity = (int) scratchSegment.byteSize();
        while (n < bufs.length) {
            int r = device.read(scratchSegment, capacity);
            if (r <= VirtioNetHeader.LENGTH) {
                if (endsBatch(r, n)) {
                    break;
                }
                continue;
            }
            if (VirtioNetHeader.gsoType(scratch, 0) != VirtioNetHeader.GSO_NONE) {
                counters.superPacketRead();
            }
            counters.read(0, r - VirtioNetHeader.LENGTH);
            pendingLength = r - VirtioNetHeader.LENGTH;
            int produced = splitScratch(bufs, sizes, n, offset);
            if (produced == NEEDS_ROOM) {
                pending = true;
                break;
            }
            n += produced;
        }
        counters.read(n, 0);
        return n;
    }

    /**
     * What a read of at most a header's length means: the end of the batch ({@code EAGAIN},
     * {@code EINTR}, or an error after some packets, which the next call reports), or a runt
     * packet, dropped and counted.
     */
    private boolean endsBatch(int r, int n) throws ErrnoException {
        if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR || (r < 0 && n > 0)) {
            return true;
        }
        if (r > 0) {
            counters.droppedRead();
            return false;
        }
        throw new ErrnoException("read", device.name(), -r, DeviceErrors.hint("read", -r));
    }

    private int splitScratch(ByteBuffer[] bufs, int[] sizes, int n, int offset) {
        header.wrap(scratch, 0);
        int segments = GsoSplitter.segmentCount(header, scratch, VirtioNetHeader.LENGTH, pendingLength);
        if (segments > bufs.length - n && segments <= bufs.length && n > 0) {
            return NEEDS_ROOM;
        }
        pending = false;
        int produced = segments < 0 || segments > bufs.length - n ? GsoSplitter.TOO_MANY_SEGMENTS
            : GsoSplitter.split(header, scratch, VirtioNetHeader.LENGTH, pendingLength, bufs, sizes, n, offset);
        if (produced < 0) {
            counters.droppedRead();
            return 0;
        }
        return produced;
    }

    /**
     * Reads super-packets unchanged: each packet at {@code bufs[i][offset, offset + sizes[i])}
     * with its virtio header in the {@value VirtioNetHeader#LENGTH} bytes before {@code offset}.
     * For forwarding to another offload device with {@link #writeVirtio}.
     *
     * @param bufs direct buffers, each with room for 65535 bytes after {@code offset}
     * @param sizes receives the packet lengths (without the header)
     * @param offset head-room, at least {@value VirtioNetHeader#LENGTH}
     * @return the number of packets
     * @throws ErrnoException for read errors other than {@code EAGAIN}/{@code EINTR}
     * @throws IllegalStateException if the queue has no virtio header
     */
    public int readVirtio(ByteBuffer[] bufs, int[] sizes, int offset) throws ErrnoException {
        if (!device.hasVirtioHeader()) {
            throw new IllegalStateException(device.name() + ": readVirtio needs a queue opened with offload");
        }
        return readDirect(bufs, sizes, offset, VirtioNetHeader.LENGTH);
    }

    private int readDirect(ByteBuffer[] bufs, int[] sizes, int offset, int headerLength) throws ErrnoException {
        int n = 0;
        while (n < bufs.length) {
            ByteBuffer buf = bufs[n];
            MemorySegment target = readCache.at(n, buf, offset - headerLength);
            int r = device.read(target, (int) target.byteSize());
            if (r <= headerLength) {
                if (endsBatch(r, n)) {
                    break;
                }
                continue;
            }
            int length = r - headerLength;
            sizes[n] = length;
            buf.limit(offset + length).position(offset);
            counters.read(0, length);
            if (headerLength > 0 && VirtioNetHeader.gsoType(buf, offset - headerLength) != VirtioNetHeader.GSO_NONE) {
                counters.superPacketRead();
            }
            n++;
        }
        counters.read(n, 0);
        return n;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a batch: packet {@code i} is {@code bufs[i][offset, limit)}. With offload, TCP/UDP
     * flows are coalesced first (see {@link GroTable}) and each packet gets its virtio header in
     * the head-room. A full device queue ({@code EAGAIN}/{@code ENOBUFS}) drops the packet and
     * counts it.
     *
     * @param bufs direct buffers; modified (see the class comment), not kept
     * @param count how many packets, at most {@value #IDEAL_BATCH_SIZE} with offload
     * @param offset head-room before each packet; at least {@value VirtioNetHeader#LENGTH} with
     *     offload
     * @return {@code count}: every packet was written, coalesced or dropped
     * @throws ErrnoException for other write errors (e.g. {@code EIO}: link down;
     *     {@code EINVAL}: the kernel rejected a packet); earlier packets were written
     */
    public int write(ByteBuffer[] bufs, int count, int offset) throws ErrnoException {
        if (!device.hasVirtioHeader()) {
            for (int i = 0; i < count; i++) {
                writeOne(i, bufs[i], offset, bufs[i].limit() - offset);
            }
            return count;
        }
        if (gro == null) {
            for (int i = 0; i < count; i++) {
                ByteBuffer buf = bufs[i];
                VirtioNetHeader.clear(buf, offset - VirtioNetHeader.LENGTH);
                writeOne(i, buf, offset - VirtioNetHeader.LENGTH, buf.limit() - offset + VirtioNetHeader.LENGTH);
            }
            return count;
        }
        int done = 0;
        while (done < count) {
            int batch = Math.min(count - done, gro.capacity());
            int writes = done == 0 ? gro.coalesce(bufs, batch, offset) : coalesceFrom(bufs, done, batch, offset);
            int[] indices = gro.writeIndices();
            for (int w = 0; w < writes; w++) {
                int i = indices[w] + done;
                ByteBuffer buf = bufs[i];
                if (VirtioNetHeader.gsoType(buf, offset - VirtioNetHeader.LENGTH) != VirtioNetHeader.GSO_NONE) {
                    counters.superPacketWritten();
                }
                writeOne(i, buf, offset - VirtioNetHeader.LENGTH, buf.limit() - offset + VirtioNetHeader.LENGTH);
            }
            done += batch;
        }
        return count;
    }

    /** Coalesces {@code bufs[from, from + batch)} through a reused window array. */
    private int coalesceFrom(ByteBuffer[] bufs, int from, int batch, int offset) {
        if (window == null) {
            window = new ByteBuffer[gro.capacity()];
        }
        System.arraycopy(bufs, from, window, 0, batch);
        int writes = gro.coalesce(window, batch, offset);
        Arrays.fill(window, 0, batch, null);
        return writes;
    }

    /**
     * Writes packets that already carry their virtio header in the
     * {@value VirtioNetHeader#LENGTH} bytes before {@code offset} (as {@link #readVirtio} leaves
     * them), unchanged.
     *
     * @param bufs direct buffers, packet {@code i} is {@code bufs[i][offset, limit)}
     * @param count how many
     * @param offset head-room, at least {@value VirtioNetHeader#LENGTH}
     * @return {@code count}
     * @throws ErrnoException as for {@link #write}
     * @throws IllegalStateException if the queue has no virtio header
     */
    public int writeVirtio(ByteBuffer[] bufs, int count, int offset) throws ErrnoException {
        if (!device.hasVirtioHeader()) {
            throw new IllegalStateException(device.name() + ": writeVirtio needs a queue opened with offload");
        }
        for (int i = 0; i < count; i++) {
            ByteBuffer buf = bufs[i];
            if (VirtioNetHeader.gsoType(buf, offset - VirtioNetHeader.LENGTH) != VirtioNetHeader.GSO_NONE) {
                counters.superPacketWritten();
            }
            writeOne(i, buf, offset - VirtioNetHeader.LENGTH, buf.limit() - offset + VirtioNetHeader.LENGTH);
        }
        return count;
    }

    private void writeOne(int slot, ByteBuffer buf, int start, int length) throws ErrnoException {
        int n = device.write(writeCache.at(slot, buf, start), length);
        if (n >= 0) {
            counters.written(1, n);
            return;
        }
        if (n == -Errno.EAGAIN || n == -Errno.ENOBUFS) {
            counters.droppedWrites(1);
            return;
        }
        throw new ErrnoException("write", device.name(), -n, DeviceErrors.hint("write", -n));
    }

    // ------------------------------------------------------------------ queues

    /**
     * Takes this queue out of the device's flow steering ({@code TUNSETQUEUE}
     * {@code IFF_DETACH_QUEUE}); the fd stays open and can be attached again.
     *
     * @throws ErrnoException e.g. {@code EINVAL} on a single-queue device
     */
    public void detach() throws ErrnoException {
        device.detach();
    }

    /**
     * Puts a detached queue back ({@code TUNSETQUEUE} {@code IFF_ATTACH_QUEUE}).
     *
     * @throws ErrnoException e.g. {@code EINVAL} when already attached
     */
    public void attach() throws ErrnoException {
        device.attach();
    }

    /**
     * Closes the fd; idempotent. On a multi-queue device the other queues stay open.
     */
    @Override
    public void close() {
        device.close();
    }

    // ------------------------------------------------------------------ queries

    /**
     * The fd, for a reactor.
     *
     * @return the fd, or -1 after {@link #close()}
     */
    public int fileno() {
        return device.fd();
    }

    /**
     * The device name the kernel chose.
     *
     * @return e.g. {@code tun0}
     */
    public String interfaceName() {
        return device.name();
    }

    /**
     * Whether packets carry a virtio-net header ({@code IFF_VNET_HDR}).
     *
     * @return true with offload
     */
    public boolean hasVirtioHeader() {
        return device.hasVirtioHeader();
    }

    /**
     * Whether the device is multi-queue.
     *
     * @return true for {@code IFF_MULTI_QUEUE}
     */
    public boolean isMultiQueue() {
        return device.isMultiQueue();
    }

    /**
     * The {@code TUN_F_*} bits the kernel accepted.
     *
     * @return e.g. {@link Offloads#FULL_SET}, or 0
     */
    public int offloads() {
        return device.offloads();
    }

    /**
     * Whether writes coalesce TCP.
     *
     * @return true if TCP GRO is on
     */
    public boolean tcpCoalescing() {
        return gro != null && gro.tcpEnabled();
    }

    /**
     * Whether writes coalesce UDP (needs USO accepted by the kernel).
     *
     * @return true if UDP GRO is on
     */
    public boolean udpCoalescing() {
        return gro != null && gro.udpEnabled();
    }

    /**
     * The queue's traffic counters: packets handed to callers (after splitting) and IP bytes read
     * (super-packets whole), {@code write} calls the kernel accepted (a super-packet counts once),
     * super-packets each way, drops. Any thread may read them.
     *
     * @return the counters
     */
    public DeviceCounters counters() {
        return counters;
    }

    @Override
    public String toString() {
        return "TunQueue[" + device.name() + " fd=" + device.fd() + (device.hasVirtioHeader()
            ? " vnet offloads=" + Offloads.describe(device.offloads()) : "")
            + (device.isMultiQueue() ? " multi-queue" : "") + "]";
    }
}
