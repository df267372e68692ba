package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
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
 * ({@link Offloads#negotiate}: {@code CSUM|TSO4|TSO6} plus {@code USO4|USO6} when the kernel
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
 * segments than the whole batch) are dropped and counted in {@link #droppedReads()}. Other errors
 * throw an {@link ErrnoException} naming the device (a read error after some packets were read
 * is reported by the next call). A detached queue receives nothing (reads give {@code EAGAIN}).
 */
public final class TunQueue implements AutoCloseable {
    /** wireguard-go's {@code conn.IdealBatchSize}: packets per batch call. */
    public static final int IDEAL_BATCH_SIZE = 128;
    /** The largest packet a device with a virtio header can hand over, with that header. */
    public static final int SCRATCH_SIZE = VirtioNetHeader.LENGTH + 65535;

    private static final int NEEDS_ROOM = -100;

    private final IOSystem system;
    private final String name;
    private final boolean vnet;
    private final boolean multiQueue;
    private final int offloadBits;
    private final GroTable gro;
    private final MemorySegment scratchSegment;
    private final ByteBuffer scratch;
    private final MemorySegment ifreq;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final SegmentCache readCache = new SegmentCache();
    private final SegmentCache writeCache = new SegmentCache();
    private int fd;
    private boolean pending;
    private int pendingLength;

    private volatile long packetsRead;
    private volatile long superPacketsRead;
    private volatile long bytesRead;
    private volatile long packetsWritten;
    private volatile long superPacketsWritten;
    private volatile long droppedReads;
    private volatile long droppedWrites;

    private TunQueue(IOSystem system, int fd, String name, boolean vnet, boolean multiQueue, int offloadBits,
            OffloadOptions offload, MemorySegment ifreq, Arena arena) {
        this.system = system;
        this.fd = fd;
        this.name = name;
        this.vnet = vnet;
        this.multiQueue = multiQueue;
        this.offloadBits = offloadBits;
        this.ifreq = ifreq;
        boolean udpGro = offload.udp() && Offloads.hasUso(offloadBits);
        this.gro = vnet && offload.txOffload() ? new GroTable(IDEAL_BATCH_SIZE, true, udpGro) : null;
        this.scratchSegment = vnet ? arena.allocate(SCRATCH_SIZE, 64) : null;
        // Little-endian: the checksum of split payloads is summed from here, faster without byte swaps.
        this.scratch = vnet ? scratchSegment.asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN) : null;
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
        if (options.attachOnly()) {
            int index = system.interfaceIndex(name);
            if (index < 0) {
                throw new ErrnoException("if_nametoindex", name, -index, "attachOnly is set and the device does not exist");
            }
        }
        int opened = system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_CLOEXEC | IOSystem.O_NONBLOCK);
        if (opened < 0) {
            throw new ErrnoException("open", TuntapPort.TUN_DEVICE, -opened, "needs root or CAP_NET_ADMIN and the tun driver");
        }
        Arena arena = Arena.ofAuto();
        MemorySegment ifreq = InterfaceRequest.allocate(arena);
        try {
            boolean vnet = offload.any() || options.extraFlags().contains(TunnelFlags.IFF_VNET_HDR);
            int flags = TunnelFlags.IFF_TUN.value() | TunnelFlags.IFF_NO_PI.value() | options.extraFlags().value();
            if (vnet) {
                flags |= TunnelFlags.IFF_VNET_HDR.value();
            }
            if (options.exclusive()) {
                flags |= TunnelFlags.IFF_TUN_EXCL.value();
            }
            InterfaceRequest.name(ifreq, name);
            InterfaceRequest.flags(ifreq, flags);
            check(system.ioctl(opened, TunIoctl.TUNSETIFF, ifreq), "ioctl(TUNSETIFF)", name);
            String device = InterfaceRequest.name(ifreq);
            int bits = 0;
            if (vnet) {
                MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, VirtioNetHeader.LENGTH);
                check(system.ioctl(opened, TunIoctl.TUNSETVNETHDRSZ, size), "ioctl(TUNSETVNETHDRSZ)", device);
                bits = Offloads.negotiate(system, opened, device, offload.rxOffload(), offload.udp());
            }
            if (options.persist() != null) {
                check(system.ioctl(opened, TunIoctl.TUNSETPERSIST, options.persist() ? 1 : 0), "ioctl(TUNSETPERSIST)",
                    device);
            }
            if (options.owner() >= 0) {
                check(system.ioctl(opened, TunIoctl.TUNSETOWNER, options.owner()), "ioctl(TUNSETOWNER)", device);
            }
            if (options.group() >= 0) {
                check(system.ioctl(opened, TunIoctl.TUNSETGROUP, options.group()), "ioctl(TUNSETGROUP)", device);
            }
            boolean multi = (flags & TunnelFlags.IFF_MULTI_QUEUE.value()) != 0;
            return new TunQueue(system, opened, device, vnet, multi, bits, offload, ifreq, arena);
        } catch (ErrnoException | RuntimeException e) {
            system.close(opened);
            throw e;
        }
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

    private static void check(int result, String operation, String device) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation, device, -result, result == -Errno.EINVAL && operation.endsWith("TUNSETIFF)")
                ? "the existing device has another type or queue mode (IFF_MULTI_QUEUE must match)" : null);
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
        if (!vnet) {
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
            int r = system.read(fd, scratchSegment, capacity);
            if (r <= VirtioNetHeader.LENGTH) {
                if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR || (r < 0 && n > 0)) {
                    break;
                }
                if (r > 0) {
                    droppedReads++;
                    continue;
                }
                throw new ErrnoException("read", name, -r);
            }
            if (VirtioNetHeader.gsoType(scratch, 0) != VirtioNetHeader.GSO_NONE) {
                superPacketsRead++;
            }
            bytesRead += r - VirtioNetHeader.LENGTH;
            pendingLength = r - VirtioNetHeader.LENGTH;
            int produced = splitScratch(bufs, sizes, n, offset);
            if (produced == NEEDS_ROOM) {
                pending = true;
                break;
            }
            n += produced;
        }
        packetsRead += n;
        return n;
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
            droppedReads++;
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
        if (!vnet) {
            throw new IllegalStateException(name + ": readVirtio needs a queue opened with offload");
        }
        return readDirect(bufs, sizes, offset, VirtioNetHeader.LENGTH);
    }

    private int readDirect(ByteBuffer[] bufs, int[] sizes, int offset, int headerLength) throws ErrnoException {
        int n = 0;
        while (n < bufs.length) {
            ByteBuffer buf = bufs[n];
            MemorySegment target = readCache.at(n, buf, offset - headerLength);
            int r = system.read(fd, target, (int) target.byteSize());
            if (r <= headerLength) {
                if (r == 0 || r == -Errno.EAGAIN || r == -Errno.EINTR || (r < 0 && n > 0)) {
                    break;
                }
                if (r > 0) {
                    droppedReads++;
                    continue;
                }
                throw new ErrnoException("read", name, -r);
            }
            int length = r - headerLength;
            sizes[n] = length;
            buf.limit(offset + length).position(offset);
            bytesRead += length;
            if (headerLength > 0 && VirtioNetHeader.gsoType(buf, offset - headerLength) != VirtioNetHeader.GSO_NONE) {
                superPacketsRead++;
            }
            n++;
        }
        packetsRead += n;
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
        if (!vnet) {
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
                    superPacketsWritten++;
                }
                writeOne(i, buf, offset - VirtioNetHeader.LENGTH, buf.limit() - offset + VirtioNetHeader.LENGTH);
            }
            done += batch;
        }
        return count;
    }

    private ByteBuffer[] window;

    /** Coalesces {@code bufs[from, from + batch)} through a reused window array. */
    private int coalesceFrom(ByteBuffer[] bufs, int from, int batch, int offset) {
        if (window == null) {
            window = new ByteBuffer[gro.capacity()];
        }
        System.arraycopy(bufs, from, window, 0, batch);
        int writes = gro.coalesce(window, batch, offset);
        java.util.Arrays.fill(window, 0, batch, null);
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
        if (!vnet) {
            throw new IllegalStateException(name + ": writeVirtio needs a queue opened with offload");
        }
        for (int i = 0; i < count; i++) {
            ByteBuffer buf = bufs[i];
            if (VirtioNetHeader.gsoType(buf, offset - VirtioNetHeader.LENGTH) != VirtioNetHeader.GSO_NONE) {
                superPacketsWritten++;
            }
            writeOne(i, buf, offset - VirtioNetHeader.LENGTH, buf.limit() - offset + VirtioNetHeader.LENGTH);
        }
        return count;
    }

    private void writeOne(int slot, ByteBuffer buf, int start, int length) throws ErrnoException {
        MemorySegment source = writeCache.at(slot, buf, start);
        int n;
        do {
            n = system.write(fd, source, length);
        } while (n == -Errno.EINTR);
        if (n >= 0) {
            packetsWritten++;
            return;
        }
        if (n == -Errno.EAGAIN || n == -Errno.ENOBUFS) {
            droppedWrites++;
            return;
        }
        throw new ErrnoException("write", name, -n, n == -Errno.EIO ? "the link is down" : n == -Errno.EINVAL
            ? "the kernel rejected a " + length + "-byte packet (bad virtio header or GSO layout?)" : null);
    }

    // ------------------------------------------------------------------ queues

    /**
     * Takes this queue out of the device's flow steering ({@code TUNSETQUEUE}
     * {@code IFF_DETACH_QUEUE}); the fd stays open and can be attached again.
     *
     * @throws ErrnoException e.g. {@code EINVAL} on a single-queue device
     */
    public void detach() throws ErrnoException {
        setQueue(TunnelFlags.IFF_DETACH_QUEUE, "detach");
    }

    /**
     * Puts a detached queue back ({@code TUNSETQUEUE} {@code IFF_ATTACH_QUEUE}).
     *
     * @throws ErrnoException e.g. {@code EINVAL} when already attached
     */
    public void attach() throws ErrnoException {
        setQueue(TunnelFlags.IFF_ATTACH_QUEUE, "attach");
    }

    private void setQueue(TunnelFlags flag, String what) throws ErrnoException {
        ifreq.fill((byte) 0);
        InterfaceRequest.flags(ifreq, flag.value());
        int rc = system.ioctl(fd, TunIoctl.TUNSETQUEUE, ifreq);
        if (rc < 0) {
            throw new ErrnoException("ioctl(TUNSETQUEUE)", name, -rc, multiQueue
                ? "cannot " + what + " this queue in its current state" : "the device is not multi-queue");
        }
    }

    /**
     * Closes the fd; idempotent. On a multi-queue device the other queues stay open.
     */
    @Override
    public void close() {
        int closing = fd;
        if (closing >= 0) {
            fd = -1;
            system.close(closing);
        }
    }

    // ------------------------------------------------------------------ queries

    /**
     * The fd, for a reactor.
     *
     * @return the fd, or -1 after {@link #close()}
     */
    public int fileno() {
        return fd;
    }

    /**
     * The device name the kernel chose.
     *
     * @return e.g. {@code tun0}
     */
    public String interfaceName() {
        return name;
    }

    /**
     * Whether packets carry a virtio-net header ({@code IFF_VNET_HDR}).
     *
     * @return true with offload
     */
    public boolean hasVirtioHeader() {
        return vnet;
    }

    /**
     * Whether the device is multi-queue.
     *
     * @return true for {@code IFF_MULTI_QUEUE}
     */
    public boolean isMultiQueue() {
        return multiQueue;
    }

    /**
     * The {@code TUN_F_*} bits the kernel accepted.
     *
     * @return e.g. {@link Offloads#FULL_SET}, or 0
     */
    public int offloads() {
        return offloadBits;
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
     * Packets delivered by reads (after splitting).
     *
     * @return the count
     */
    public long packetsRead() {
        return packetsRead;
    }

    /**
     * GSO super-packets read from the kernel (with offload).
     *
     * @return the count
     */
    public long superPacketsRead() {
        return superPacketsRead;
    }

    /**
     * IP bytes read from the kernel (super-packets counted whole, without virtio headers).
     *
     * @return the count
     */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * {@code write} calls the kernel accepted (a super-packet counts once).
     *
     * @return the count
     */
    public long packetsWritten() {
        return packetsWritten;
    }

    /**
     * Super-packets written.
     *
     * @return the count
     */
    public long superPacketsWritten() {
        return superPacketsWritten;
    }

    /**
     * Packets read but dropped (malformed, unsupported, or too many segments for the batch).
     *
     * @return the count
     */
    public long droppedReads() {
        return droppedReads;
    }

    /**
     * Packets dropped on write because the device queue was full.
     *
     * @return the count
     */
    public long droppedWrites() {
        return droppedWrites;
    }

    @Override
    public String toString() {
        return "TunQueue[" + name + " fd=" + fd + (vnet ? " vnet offloads=" + Offloads.describe(offloadBits) : "")
            + (multiQueue ? " multi-queue" : "") + "]";
    }

    /** Native views of the caller's batch buffers, rebuilt only when a slot's buffer or start changes. */
    private static final class SegmentCache {
        private ByteBuffer[] buffers = new ByteBuffer[IDEAL_BATCH_SIZE];
        private int[] starts = new int[IDEAL_BATCH_SIZE];
        private MemorySegment[] segments = new MemorySegment[IDEAL_BATCH_SIZE];

        MemorySegment at(int slot, ByteBuffer buffer, int start) {
            if (slot >= buffers.length) {
                int size = Math.max(slot + 1, buffers.length * 2);
                buffers = java.util.Arrays.copyOf(buffers, size);
                starts = java.util.Arrays.copyOf(starts, size);
                segments = java.util.Arrays.copyOf(segments, size);
            }
            if (buffers[slot] != buffer || starts[slot] != start) {
                if (!buffer.isDirect()) {
                    throw new IllegalArgumentException("batch buffers must be direct ByteBuffers");
                }
                if (start < 0 || start >= buffer.capacity()) {
                    throw new IllegalArgumentException("offset " + start + " outside a buffer of capacity "
                        + buffer.capacity() + " (is the head-room at least " + VirtioNetHeader.LENGTH + "?)");
                }
                segments[slot] = MemorySegment.ofBuffer(buffer.duplicate().clear()).asSlice(start);
                buffers[slot] = buffer;
                starts[slot] = start;
            }
            return segments[slot];
        }
    }
}
