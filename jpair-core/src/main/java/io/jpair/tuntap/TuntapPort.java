package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import io.jpair.transport.BasePort;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.FrameProtocol;
import io.jpair.transport.PacketProtocol;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port on a Linux TUN or TAP device (Twisted's {@code twisted.pair.tuntap.TuntapPort}): it opens
 * the device, reads packets when the reactor says the fd is readable, hands each to its protocol,
 * and writes packets back into the kernel.
 *
 * <pre>{@code
 * EpollReactor reactor = new EpollReactor();
 * TuntapPort port = new TuntapPort("tun%d", new MyIpProtocol(), reactor);  // TUN: a RawPacketProtocol
 * port.startListening();                   // opens /dev/net/tun, TUNSETIFF, starts reading
 * System.out.println(port.getHost());      // <TunnelAddress type=IFF_TUN name='tun0'>
 * reactor.run();                           // MyIpProtocol.datagramReceived(ByteBuffer) per packet
 * }</pre>
 *
 * <p><b>Device type.</b> A {@link FrameProtocol} (e.g. {@code EthernetProtocol}) gets a TAP
 * device and whole Ethernet frames; a {@link RawPacketProtocol} gets a TUN device and IP packets.
 *
 * <p><b>Reading.</b> {@link #doRead()} reads until {@code EAGAIN}, {@code EINTR}, or
 * {@value #MAX_THROUGHPUT} bytes per wake-up (so one busy device cannot starve others). Each packet
 * is a view over the port's reused native memory, valid during the callback only: nothing is
 * allocated per packet. An exception from the protocol is counted and logged (rate-limited) and
 * reading goes on. {@code EIO}/{@code ENOBUFS} are transient: counted in {@link #readErrors()},
 * reading pauses for {@link #READ_RETRY_DELAY} and resumes. Any other read error (e.g.
 * {@code EBADFD} once the device is deleted) disconnects the port through the reactor:
 * {@code connectionLost} runs with that error and the fd is closed once.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} writes one packet synchronously, unbuffered:
 * {@code EINTR} is retried; {@code EAGAIN}/{@code ENOBUFS} (a full device queue) drop the packet,
 * count it in {@link #droppedWrites()} and return 0; other errors throw an
 * {@link ErrnoException} naming the device. {@link #writeSequence} writes several buffers as one
 * packet with one {@code writev}.
 *
 * <p><b>Write offload.</b> With {@link OffloadOptions#txOffload()}, the writes a protocol makes
 * <em>from inside {@code datagramReceived}</em> (a reply, an echo, a forwarded packet on the same
 * device) are held until the read batch ends (or 64 are held), then
 * coalesced with {@link GroTable}: packets of one TCP or UDP flow go to the kernel as one GSO
 * super-packet, every other packet unchanged, in the order written per flow. Such a write returns
 * the packet's length at once; if the kernel later refuses it, the packets are counted in
 * {@link #droppedWrites()} and, unless the queue was merely full, a warning is logged (at most one a
 * second). Writes made anywhere else (timers, other ports' callbacks) are written at once, as
 * without offload. Across ports, batch explicitly with {@link TunQueue#write}.
 *
 * <p><b>Stopping.</b> {@link #stopListening()} stops reading at once and closes on the next
 * reactor turn; the returned future (the same one on repeated calls) completes after
 * {@code connectionLost}. The port can be started again afterwards.
 *
 * <p><b>Threading.</b> Every method belongs to the reactor thread, except the counters, which
 * other threads may read (possibly slightly stale). Hand work over with
 * {@link Reactor#callFromThread}.
 *
 * <p><b>Fixed Twisted bugs.</b> Unlike Twisted: the fd is closed when a configuring ioctl fails
 * (Twisted leaked it); restart after stop works (Twisted never reset its state); a TUN port feeds
 * {@code IPProtocol} directly (Twisted passed too few arguments); the fd is closed even if the
 * protocol's {@code doStop} throws; cancelling the stop future does not leave the port half-stopped;
 * a protocol that is neither raw nor Ethernet is rejected with a message, not an assert.
 */
public class TuntapPort extends BasePort implements PacketTransport {
    /** The clone device. */
    public static final String TUN_DEVICE = "/dev/net/tun";
    /** Bytes read per reactor wake-up before yielding (Twisted's {@code maxThroughput}). */
    public static final int MAX_THROUGHPUT = 256 * 1024;
    /** The largest packet {@link #write} accepts: an IP packet plus PI and Ethernet headers. */
    public static final int MAX_WRITE_SIZE = 65535 + 4 + 18;

    private static final Logger LOG = LoggerFactory.getLogger(TuntapPort.class);
    private static final long ERROR_LOG_INTERVAL_NANOS = 1_000_000_000L;
    /** How long reading pauses after a transient read error ({@code EIO}, {@code ENOBUFS}). */
    public static final Duration READ_RETRY_DELAY = Duration.ofMillis(100);

    private final PacketProtocol protocol;
    private final IOSystem system;
    private final TunnelOptions options;
    private final OffloadOptions offload;
    private final TunnelFlags mode;
    private final String requestedName;
    private final String logPrefix;
    private String interfaceName;
    private int fd = -1;
    private boolean reading;

    private MemorySegment readSegment;
    private ByteBuffer readView;
    private MemorySegment writeSegment;
    private ByteBuffer writeView;
    private MemorySegment ifreq;
    private ByteBuffer[] sequence = new ByteBuffer[8];
    // Offload (IFF_VNET_HDR): the negotiated TUN_F_* bits, a header flyweight, the segment buffer.
    private int offloadBits;
    private final VirtioNetHeader vnetHeader = new VirtioNetHeader();
    private MemorySegment vnetHeaderSize;
    private ByteBuffer segmentView;
    // Write offload: writes made while a read batch is delivered, coalesced when it ends.
    private Arena memory;
    private WriteBatch writeBatch;
    private boolean delivering;
    private static final ByteBuffer ZERO_VNET_HEADER = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH).asReadOnlyBuffer();

    private CompletableFuture<Void> stopFuture;
    private DelayedCall pendingStop;

    // Per-packet counters: written by the reactor thread only, with opaque stores (a plain mov on
    // x86; a volatile store's fence cost ~5 ns per packet and counter), read by others with opaque
    // loads: atomic and never stale forever, as the class comment promises.
    private static final VarHandle PACKETS_RECEIVED = counter("packetsReceived");
    private static final VarHandle BYTES_RECEIVED = counter("bytesReceived");
    private static final VarHandle PACKETS_WRITTEN = counter("packetsWritten");
    private static final VarHandle BYTES_WRITTEN = counter("bytesWritten");
    private long packetsReceived;
    private long bytesReceived;
    private long packetsWritten;
    private long bytesWritten;
    private volatile long droppedWrites;
    private volatile long superPacketsWritten;
    private volatile long droppedReads;
    private long lastWriteErrorLogNanos = Long.MIN_VALUE;
    private volatile long protocolErrors;
    private volatile long readErrors;
    private boolean backingOff;
    private DelayedCall pendingResume;
    private long lastReadErrorLogNanos = Long.MIN_VALUE;
    private long lastErrorLogNanos = Long.MIN_VALUE;
    private long suppressedErrorLogs;

    /**
     * A port with default options on the real system.
     *
     * @param interfaceName the device name, or a pattern such as {@code "tun%d"} for the kernel
     *     to complete
     * @param protocol a {@link RawPacketProtocol} (TUN) or {@link FrameProtocol} (TAP)
     * @param reactor the reactor that will drive it
     */
    public TuntapPort(String interfaceName, PacketProtocol protocol, Reactor reactor) {
        this(interfaceName, protocol, TunnelOptions.defaults(), reactor, null);
    }

    /**
     * Twisted's signature: {@code TuntapPort(interface, proto, maxPacketSize, reactor, system)}.
     *
     * @param interfaceName the device name or pattern
     * @param protocol a {@link RawPacketProtocol} (TUN) or {@link FrameProtocol} (TAP)
     * @param maxPacketSize the read size in bytes (Twisted's default is 8192)
     * @param reactor the reactor
     * @param system the I/O system; {@code null} for {@link RealIOSystem}
     */
    public TuntapPort(String interfaceName, PacketProtocol protocol, int maxPacketSize, Reactor reactor,
            IOSystem system) {
        this(interfaceName, protocol, TunnelOptions.defaults().withMaxPacketSize(maxPacketSize), reactor, system);
    }

    /**
     * A port with explicit device options.
     *
     * @param interfaceName the device name or pattern (at most 15 bytes, no '/', ':' or spaces)
     * @param protocol a {@link RawPacketProtocol} (TUN) or {@link FrameProtocol} (TAP)
     * @param options how to open the device
     * @param reactor the reactor
     * @param system the I/O system; {@code null} for {@link RealIOSystem}
     * @throws IllegalArgumentException for an invalid name or a protocol of neither kind
     */
    public TuntapPort(String interfaceName, PacketProtocol protocol, TunnelOptions options, Reactor reactor,
            IOSystem system) {
        this(interfaceName, protocol, options, OffloadOptions.disabled(), reactor, system);
    }

    /**
     * A TUN port with virtio-net offload: the device is opened with {@code IFF_VNET_HDR} and
     * {@code TUNSETOFFLOAD} is negotiated ({@link Offloads#negotiate}); {@link #doRead()} splits
     * the kernel's GSO super-packets and delivers one wire-size packet per
     * {@code datagramReceived}, with checksums completed; writes prepend a zero virtio header.
     * The protocol never sees the header. With {@link OffloadOptions#txOffload()}, writes made
     * during a read batch are coalesced (see "Write offload" in the class comment).
     *
     * @param interfaceName the device name or pattern
     * @param protocol a {@link RawPacketProtocol} (offload is TUN only)
     * @param options how to open the device
     * @param offload the offload switches ({@link OffloadOptions#disabled()} for Twisted's behaviour)
     * @param reactor the reactor
     * @param system the I/O system; {@code null} for {@link RealIOSystem}
     * @throws IllegalArgumentException for an invalid name, a protocol of neither kind, or offload
     *     on a TAP device
     */
    public TuntapPort(String interfaceName, PacketProtocol protocol, TunnelOptions options, OffloadOptions offload,
            Reactor reactor, IOSystem system) {
        super(reactor);
        this.offload = Objects.requireNonNull(offload, "offload");
        this.requestedName = validName(interfaceName);
        this.interfaceName = requestedName;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.options = Objects.requireNonNull(options, "options");
        this.system = system != null ? system : RealIOSystem.INSTANCE;
        if (protocol instanceof FrameProtocol) {
            mode = TunnelFlags.IFF_TAP;
        } else if (protocol instanceof RawPacketProtocol) {
            mode = TunnelFlags.IFF_TUN;
        } else {
            throw new IllegalArgumentException(protocol.getClass().getName()
                + " must implement RawPacketProtocol (for a TUN device) or FrameProtocol (for a TAP device)");
        }
        this.logPrefix = protocol.logPrefix() + " (" + mode.name() + ")";
        if (offload.any() && (mode != TunnelFlags.IFF_TUN || options.packetInformation())) {
            throw new IllegalArgumentException("offload needs a TUN device without the packet-information header");
        }
    }

    private static VarHandle counter(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(TuntapPort.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String validName(String name) {
        Objects.requireNonNull(name, "interfaceName");
        if (name.isEmpty() || name.length() >= InterfaceRequest.IFNAMSIZ || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name '" + name
                + "': Linux names are 1 to 15 characters and not '.' or '..'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':') {
                throw new IllegalArgumentException("invalid interface name '" + name
                    + "': no '/', ':', whitespace or non-ASCII characters");
            }
        }
        return name;
    }

    // ---------------------------------------------------------------- starting

    /**
     * Opens {@code /dev/net/tun} ({@code O_RDWR|O_CLOEXEC|O_NONBLOCK}), configures the device with
     * {@code TUNSETIFF} (and the persist/owner/group ioctls the options ask for), adopts the name
     * the kernel chose, connects the protocol and starts reading.
     *
     * @throws CannotListenException naming the device and the errno; the fd is closed
     * @throws IllegalStateException if already listening
     */
    @Override
    public void startListening() throws CannotListenException {
        if (connected) {
            throw new IllegalStateException(this + " is already listening");
        }
        LOG.debug("{} starting on {}", this, requestedName);
        if (options.attachOnly()) {
            int index = system.interfaceIndex(requestedName);
            if (index < 0) {
                throw new CannotListenException(requestedName, new ErrnoException("if_nametoindex", requestedName,
                    -index, "attachOnly is set and the device does not exist"));
            }
        }
        int opened = system.open(TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_CLOEXEC | IOSystem.O_NONBLOCK);
        if (opened < 0) {
            throw new CannotListenException(requestedName,
                new ErrnoException("open", TUN_DEVICE, -opened, openHint(-opened)));
        }
        String name;
        try {
            name = configure(opened);
        } catch (ErrnoException e) {
            system.close(opened);
            throw new CannotListenException(requestedName, e);
        }
        fd = opened;
        interfaceName = name;
        connected = true;
        disconnected = false;
        disconnecting = false;
        stopFuture = null;
        pendingStop = null;
        try {
            protocol.makeConnection(this);
        } catch (RuntimeException e) {
            connected = false;
            closeFd();
            throw new CannotListenException(name, e);
        }
        startReading();
    }

    private String configure(int opened) throws ErrnoException {
        allocateMemory();
        int flags = mode.value() | options.extraFlags().value();
        if (!options.packetInformation()) {
            flags |= TunnelFlags.IFF_NO_PI.value();
        }
        if (options.exclusive()) {
            flags |= TunnelFlags.IFF_TUN_EXCL.value();
        }
        if (offload.any()) {
            flags |= TunnelFlags.IFF_VNET_HDR.value();
        }
        InterfaceRequest.name(ifreq, requestedName);
        InterfaceRequest.flags(ifreq, flags);
        check(system.ioctl(opened, TunIoctl.TUNSETIFF, ifreq), "ioctl(TUNSETIFF)", requestedName);
        String name = InterfaceRequest.name(ifreq);
        offloadBits = 0;
        if (offload.any()) {
            check(system.ioctl(opened, TunIoctl.TUNSETVNETHDRSZ, vnetHeaderSize), "ioctl(TUNSETVNETHDRSZ)", name);
            offloadBits = Offloads.negotiate(system, opened, name, offload.rxOffload(), offload.udp());
            if (offload.txOffload() && writeBatch == null) {
                writeBatch = new WriteBatch(memory, offload.udp() && Offloads.hasUso(offloadBits));
            }
        }
        if (options.persist() != null) {
            check(system.ioctl(opened, TunIoctl.TUNSETPERSIST, options.persist() ? 1 : 0), "ioctl(TUNSETPERSIST)",
                name);
        }
        if (options.owner() >= 0) {
            check(system.ioctl(opened, TunIoctl.TUNSETOWNER, options.owner()), "ioctl(TUNSETOWNER)", name);
        }
        if (options.group() >= 0) {
            check(system.ioctl(opened, TunIoctl.TUNSETGROUP, options.group()), "ioctl(TUNSETGROUP)", name);
        }
        return name;
    }

    private static void check(int result, String operation, String device) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation, device, -result, ioctlHint(operation, -result));
        }
    }

    private void allocateMemory() {
        if (readSegment == null) {
            // Auto arena: the port may be used from several threads over its life (set-up, then the
            // reactor), and it is reused across restarts; the GC frees it with the port.
            Arena arena = Arena.ofAuto();
            memory = arena;
            readSegment = arena.allocate(offload.any() ? Math.max(options.maxPacketSize(), TunQueue.SCRATCH_SIZE)
                : options.maxPacketSize(), 64);
            readView = readSegment.asByteBuffer();
            writeSegment = arena.allocate(MAX_WRITE_SIZE + VirtioNetHeader.LENGTH, 64);
            if (offload.any()) {
                vnetHeaderSize = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, VirtioNetHeader.LENGTH);
                segmentView = arena.allocate(65536, 64).asByteBuffer();
            }
            writeView = writeSegment.asByteBuffer();
            ifreq = InterfaceRequest.allocate(arena);
        } else {
            ifreq.fill((byte) 0);
        }
    }

    private static String openHint(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "needs read-write access to " + TUN_DEVICE
                + ": run as root or with CAP_NET_ADMIN";
            case Errno.ENOENT, Errno.ENODEV, 6 /* ENXIO */ -> "no TUN/TAP driver: load it with 'modprobe tun'"
                + " or create the node with 'mknod /dev/net/tun c 10 200'";
            case Errno.EMFILE -> "this process has too many open files";
            default -> null;
        };
    }

    private static String ioctlHint(String operation, int errno) {
        if (errno == Errno.EPERM) {
            return operation.equals("ioctl(TUNSETIFF)")
                ? "needs CAP_NET_ADMIN or a device owned by this user (e.g. 'jpair mkdev --user U' or"
                    + " 'ip tuntap add DEV mode tun user U')"
                : "needs CAP_NET_ADMIN";
        }
        if (operation.equals("ioctl(TUNSETIFF)")) {
            return switch (errno) {
                case Errno.EBUSY -> "the device exists and is busy (IFF_TUN_EXCL asked for a new one,"
                    + " or another process holds it and it is not multi-queue)";
                case Errno.EINVAL -> "the existing device has another type (TUN vs TAP) or queue mode,"
                    + " or the flags are not supported by this kernel";
                default -> null;
            };
        }
        return null;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads and delivers packets until {@code EAGAIN}/{@code EINTR}, or until
     * {@value #MAX_THROUGHPUT} bytes were read in this call.
     *
     * @throws ErrnoException for any other read error (the reactor then disconnects the port)
     */
    @Override
    public void doRead() throws ErrnoException {
        if (writeBatch == null) {
            readPackets();
            return;
        }
        delivering = true;
        try {
            readPackets();
        } finally {
            delivering = false;
            if (!writeBatch.isEmpty()) {
                flushWrites();
            }
        }
    }

    private void readPackets() throws ErrnoException {
        int capacity = (int) readSegment.byteSize();
        long budget = 0;
        while (budget < MAX_THROUGHPUT && reading) {
            int n = system.read(fd, readSegment, capacity);
            if (n <= 0) {
                if (n == 0 || n == -Errno.EAGAIN || n == -Errno.EINTR) {
                    return;
                }
                if (n == -Errno.EIO || n == -Errno.ENOBUFS) {
                    backOffReading(-n);
                    return;
                }
                throw new ErrnoException("read", interfaceName, -n, readHint(-n));
            }
            budget += n;
            if (offload.any()) {
                deliverSegments(n);
                continue;
            }
            readView.limit(n).position(0);
            deliver(readView, n);
        }
    }

    /** Offload: splits what was read (virtio header + packet) and delivers each segment. */
    private void deliverSegments(int n) {
        int length = n - VirtioNetHeader.LENGTH;
        readView.limit(n).position(0);
        vnetHeader.wrap(readView, 0);
        if (vnetHeader.gsoType() == VirtioNetHeader.GSO_NONE && length > 0) {
            // One packet: its checksum completed in place if the kernel left it partial (as it
            // does for every locally sent packet once TUN_F_CSUM is on), delivered in place.
            if ((vnetHeader.flags() & VirtioNetHeader.F_NEEDS_CSUM) != 0 && !GsoSplitter.completeChecksum(readView,
                    VirtioNetHeader.LENGTH, length, vnetHeader.csumStart(), vnetHeader.csumOffset())) {
                droppedReads++;
                return;
            }
            readView.position(VirtioNetHeader.LENGTH);
            deliver(readView, length);
            return;
        }
        int count = length > 0 ? GsoSplitter.segmentCount(vnetHeader, readView, VirtioNetHeader.LENGTH, length) : -1;
        if (count < 0) {
            droppedReads++;
            return;
        }
        for (int i = 0; i < count; i++) {
            int size = GsoSplitter.segment(vnetHeader, readView, VirtioNetHeader.LENGTH, length, i, segmentView, 0);
            if (size < 0) {
                droppedReads++;
                break;
            }
            deliver(segmentView, size);
        }
    }

    /** Counts one packet and hands it to the protocol; what the protocol throws is counted and logged. */
    private void deliver(ByteBuffer packet, int length) {
        PACKETS_RECEIVED.setOpaque(this, packetsReceived + 1);
        BYTES_RECEIVED.setOpaque(this, bytesReceived + length);
        try {
            protocol.datagramReceived(packet);
        } catch (Throwable t) {
            protocolFailed(t);
        }
    }

    private static String readHint(int errno) {
        return errno == Errno.EBADFD ? "the device was deleted while the port was open" : null;
    }

    /**
     * A transient read error (EIO, ENOBUFS): count it, stop reading for {@link #READ_RETRY_DELAY}
     * so a level-triggered fd cannot spin, then read again if nobody else paused or stopped us.
     */
    private void backOffReading(int errno) {
        readErrors++;
        long now = reactor.nanoTime();
        if (lastReadErrorLogNanos == Long.MIN_VALUE || now - lastReadErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
            LOG.warn("{}: {}; retrying in {} ms", logPrefix,
                new ErrnoException("read", interfaceName, errno).getMessage(), READ_RETRY_DELAY.toMillis());
            lastReadErrorLogNanos = now;
        }
        stopReading();
        backingOff = true;
        pendingResume = reactor.callLater(READ_RETRY_DELAY, () -> {
            pendingResume = null;
            if (backingOff && connected && !disconnecting) {
                backingOff = false;
                startReading();
            }
        });
    }

    /** Pausing (as a producer) overrides a pending resume after a transient read error. */
    @Override
    public void pauseProducing() {
        backingOff = false;
        super.pauseProducing();
    }

    private void protocolFailed(Throwable t) {
        protocolErrors++;
        long now = reactor.nanoTime();
        if (lastErrorLogNanos == Long.MIN_VALUE || now - lastErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
            LOG.error("Unhandled exception from {}.datagramReceived ({} more suppressed since the last report)",
                protocol.getClass().getName(), suppressedErrorLogs, t);
            lastErrorLogNanos = now;
            suppressedErrorLogs = 0;
        } else {
            suppressedErrorLogs++;
        }
    }

    @Override
    public void startReading() {
        reading = true;
        super.startReading();
    }

    @Override
    public void stopReading() {
        reading = false;
        super.stopReading();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes one packet, unbuffered. See the class comment for the errno mapping.
     *
     * @param packet from position to limit; not kept, position not moved
     * @return bytes written, or 0 if the device queue was full and the packet was dropped
     * @throws ErrnoException {@code EBADF} when not listening, {@code EMSGSIZE} above
     *     {@value #MAX_WRITE_SIZE} bytes, or the kernel's error (e.g. {@code EIO}: link down)
     */
    @Override
    public int write(ByteBuffer packet) throws ErrnoException {
        int length = packet.remaining();
        checkWritable(length);
        if (delivering && length <= WriteBatch.MAX_PACKET) {
            makeRoom().add(packet);
            return length;
        }
        writeView.put(headerRoom(), packet, packet.position(), length);
        return writeFromSegment(length);
    }

    @Override
    public int write(byte[] packet) throws ErrnoException {
        checkWritable(packet.length);
        if (delivering && packet.length <= WriteBatch.MAX_PACKET) {
            makeRoom().add(packet);
            return packet.length;
        }
        writeView.put(headerRoom(), packet, 0, packet.length);
        return writeFromSegment(packet.length);
    }

    private void checkWritable(int length) throws ErrnoException {
        if (fd < 0) {
            throw new ErrnoException("write", interfaceName, Errno.EBADF, "the port is not listening");
        }
        if (length > MAX_WRITE_SIZE) {
            throw new ErrnoException("write", interfaceName, Errno.EMSGSIZE,
                length + " bytes is more than a packet (" + MAX_WRITE_SIZE + ")");
        }
    }

    /** Offload: a zero virtio header (a single packet with complete checksums) before the packet. */
    private int headerRoom() {
        if (!offload.any()) {
            return 0;
        }
        VirtioNetHeader.clear(writeView, 0);
        return VirtioNetHeader.LENGTH;
    }

    private WriteBatch makeRoom() {
        if (writeBatch.isFull()) {
            flushWrites();
        }
        return writeBatch;
    }

    /**
     * Write offload: coalesces the held writes and writes them. Nobody is left to throw to, so a
     * failed write is counted in {@link #droppedWrites()} (per held packet) and, unless the queue
     * was merely full, logged at most once a second.
     */
    private void flushWrites() {
        int writes = writeBatch.coalesce();
        for (int w = 0; w < writes; w++) {
            int n = writeRetryingEintr(writeBatch.packet(w), writeBatch.length(w));
            int packets = writeBatch.packets(w);
            if (n >= 0) {
                if (packets > 1) {
                    superPacketsWritten++;
                }
                PACKETS_WRITTEN.setOpaque(this, packetsWritten + packets);
                BYTES_WRITTEN.setOpaque(this, bytesWritten + writeBatch.originalBytes(w));
            } else {
                droppedWrites += packets;
                if (n != -Errno.EAGAIN && n != -Errno.ENOBUFS) {
                    heldWriteFailed(-n, writeBatch.length(w) - VirtioNetHeader.LENGTH, packets);
                }
            }
        }
        writeBatch.clear();
    }

    private void heldWriteFailed(int errno, int length, int packets) {
        long now = reactor.nanoTime();
        if (lastWriteErrorLogNanos == Long.MIN_VALUE || now - lastWriteErrorLogNanos >= ERROR_LOG_INTERVAL_NANOS) {
            LOG.warn("{}: {} ({} coalesced packet(s) dropped)", logPrefix,
                new ErrnoException("write", interfaceName, errno, writeHint(errno, length)).getMessage(), packets);
            lastWriteErrorLogNanos = now;
        }
    }

    private int writeFromSegment(int length) throws ErrnoException {
        int room = offload.any() ? VirtioNetHeader.LENGTH : 0;
        int n = writeRetryingEintr(writeSegment, length + room);
        return written(n > 0 ? n - room : n, length, "write");
    }

    /** One {@code write}, retried while a signal interrupts it; the result or {@code -errno}. */
    private int writeRetryingEintr(MemorySegment source, int length) {
        int n;
        do {
            n = system.write(fd, source, length);
        } while (n == -Errno.EINTR);
        return n;
    }

    private int written(long n, long length, String operation) throws ErrnoException {
        if (n >= 0) {
            PACKETS_WRITTEN.setOpaque(this, packetsWritten + 1);
            BYTES_WRITTEN.setOpaque(this, bytesWritten + n);
            return (int) n;
        }
        int errno = (int) -n;
        if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
            droppedWrites++;
            return 0;
        }
        throw new ErrnoException(operation, interfaceName, errno, writeHint(errno, length));
    }

    private static String writeHint(int errno, long length) {
        return switch (errno) {
            case Errno.EIO -> "the link is down (bring it up, e.g. 'ip link set DEV up')";
            case Errno.EINVAL -> "the kernel rejected this " + length + "-byte packet for this device type";
            case Errno.EBADF -> "the device fd is closed";
            default -> null;
        };
    }

    /**
     * Writes the concatenation of {@code parts} as one packet with one {@code writev}.
     *
     * @param parts the pieces
     * @return bytes written, or 0 if dropped
     * @throws ErrnoException as for {@link #write(ByteBuffer)}
     */
    @Override
    public int writeSequence(List<ByteBuffer> parts) throws ErrnoException {
        int count = parts.size();
        if (sequence.length < count) {
            sequence = new ByteBuffer[Math.max(count, sequence.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            sequence[i] = parts.get(i);
        }
        try {
            return writeSequence(sequence, 0, count);
        } finally {
            java.util.Arrays.fill(sequence, 0, count, null);
        }
    }

    /**
     * Allocation-free form of {@link #writeSequence(List)}.
     *
     * @param parts the pieces, each from position to limit (positions not moved)
     * @param offset first piece
     * @param count how many
     * @return bytes written, or 0 if dropped
     * @throws ErrnoException as for {@link #write(ByteBuffer)}
     */
    public int writeSequence(ByteBuffer[] parts, int offset, int count) throws ErrnoException {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += parts[offset + i].remaining();
        }
        checkWritable((int) Math.min(total, Integer.MAX_VALUE));
        if (delivering && total <= WriteBatch.MAX_PACKET) {
            makeRoom().add(parts, offset, count, (int) total);
            return (int) total;
        }
        if (offload.any()) {
            return writeSequenceWithHeader(parts, offset, count, total);
        }
        long n;
        do {
            n = system.writev(fd, parts, offset, count);
        } while (n == -Errno.EINTR);
        return written(n, total, "writev");
    }

    /** Offload: the same writev with a zero virtio header as the first part. */
    private int writeSequenceWithHeader(ByteBuffer[] parts, int offset, int count, long total) throws ErrnoException {
        ByteBuffer[] all;
        if (parts == sequence) {
            if (sequence.length < offset + count + 1) {
                sequence = java.util.Arrays.copyOf(sequence, Math.max(offset + count + 1, sequence.length * 2));
            }
            all = sequence;
        } else {
            all = ensureSequence(count + 1);
        }
        System.arraycopy(parts, offset, all, 1, count);
        all[0] = ZERO_VNET_HEADER;
        long n;
        try {
            do {
                n = system.writev(fd, all, 0, count + 1);
            } while (n == -Errno.EINTR);
        } finally {
            java.util.Arrays.fill(all, 0, count + 1, null);
        }
        return written(n > 0 ? n - VirtioNetHeader.LENGTH : n, total, "writev");
    }

    private ByteBuffer[] ensureSequence(int count) {
        if (sequence.length < count) {
            sequence = new ByteBuffer[Math.max(count, sequence.length * 2)];
        }
        return sequence;
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops reading now and closes on the next reactor turn.
     *
     * @return completes after {@code connectionLost}; the same future for repeated calls while
     *     stopping; an already-completed one if the port is not listening. Cancelling it does not
     *     cancel the close.
     */
    @Override
    public CompletableFuture<Void> stopListening() {
        if (connected || reading) {
            stopReading();
        }
        if (disconnecting && stopFuture != null) {
            return stopFuture;
        }
        if (connected) {
            disconnecting = true;
            stopFuture = new CompletableFuture<>();
            pendingStop = reactor.callLater(Duration.ZERO,
                () -> connectionLost(new ConnectionDone("stopListening")));
            return stopFuture;
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Twisted's old name for {@link #stopListening()}.
     *
     * @deprecated use {@link #stopListening()}, which returns the completion future
     */
    @Deprecated(since = "0.1")
    @Override
    public void loseConnection() {
        stopListening().whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.error("{}: stopListening failed", logPrefix, failure);
            }
        });
    }

    /**
     * Releases everything: stops the producer, leaves the reactor, stops the protocol, closes the
     * fd exactly once (even if the protocol's {@code doStop} throws), completes the stop future.
     * Idempotent.
     *
     * @param reason why
     */
    @Override
    public void connectionLost(Throwable reason) {
        if (pendingStop != null) {
            pendingStop.cancel();
            pendingStop = null;
        }
        backingOff = false;
        if (pendingResume != null) {
            pendingResume.cancel();
            pendingResume = null;
        }
        if (fd < 0) {
            completeStop(null);
            return;
        }
        LOG.debug("(Tuntap {} Closed: {})", interfaceName, reason == null ? "" : reason.getMessage());
        super.connectionLost(reason);
        Throwable failure = null;
        try {
            protocol.doStop();
        } catch (Throwable t) {
            failure = t;
            LOG.error("{}: protocol doStop failed", logPrefix, t);
        } finally {
            closeFd();
        }
        completeStop(failure);
    }

    private void completeStop(Throwable failure) {
        CompletableFuture<Void> future = stopFuture;
        if (future != null) {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        }
    }

    private void closeFd() {
        int closing = fd;
        fd = -1;
        connected = false;
        int rc = system.close(closing);
        if (rc < 0) {
            LOG.warn("{}: {}", logPrefix, new ErrnoException("close", interfaceName, -rc).getMessage());
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * The device fd.
     *
     * @return the fd while listening, -1 otherwise (Twisted raised before the first start)
     */
    @Override
    public int fileno() {
        return fd;
    }

    /**
     * The device type and name: the requested name before start, the kernel's after.
     *
     * @return e.g. {@code <TunnelAddress type=IFF_TUN name='tun0'>}
     */
    @Override
    public TunnelAddress getHost() {
        return new TunnelAddress(mode, interfaceName);
    }

    /**
     * The interface name: the requested name (or pattern) before start, the kernel's after.
     *
     * @return the name
     */
    public String interfaceName() {
        return interfaceName;
    }

    /**
     * The device type.
     *
     * @return {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     */
    public TunnelFlags mode() {
        return mode;
    }

    /**
     * The attached protocol.
     *
     * @return the protocol
     */
    public PacketProtocol protocol() {
        return protocol;
    }

    /**
     * The options the port opens its device with.
     *
     * @return the options
     */
    public TunnelOptions options() {
        return options;
    }

    /**
     * The {@code TUN_F_*} offloads the kernel accepted (see {@link Offloads}).
     *
     * @return the bits, 0 without offload or before start
     */
    public int offloads() {
        return offloadBits;
    }

    /**
     * The offload switches this port was built with.
     *
     * @return the switches
     */
    public OffloadOptions offloadOptions() {
        return offload;
    }

    /**
     * The system calls this port makes go through this object.
     *
     * @return the I/O system
     */
    public IOSystem system() {
        return system;
    }

    @Override
    public Reactor reactor() {
        return reactor;
    }

    /**
     * Whether the port is in the reactor's readers.
     *
     * @return true while reading
     */
    public boolean isReading() {
        return reading;
    }

    /**
     * Packets delivered to the protocol.
     *
     * @return the count since construction
     */
    public long packetsReceived() {
        return (long) PACKETS_RECEIVED.getOpaque(this);
    }

    /**
     * Bytes delivered to the protocol.
     *
     * @return the count since construction
     */
    public long bytesReceived() {
        return (long) BYTES_RECEIVED.getOpaque(this);
    }

    /**
     * Packets the kernel accepted from {@code write}/{@code writeSequence}.
     *
     * @return the count since construction
     */
    public long packetsWritten() {
        return (long) PACKETS_WRITTEN.getOpaque(this);
    }

    /**
     * Bytes the kernel accepted.
     *
     * @return the count since construction
     */
    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }

    /**
     * Packets dropped because the device queue was full ({@code EAGAIN}/{@code ENOBUFS}), and,
     * with write offload, held packets whose coalesced write failed.
     *
     * @return the count since construction
     */
    public long droppedWrites() {
        return droppedWrites;
    }

    /**
     * Offload: packets read from the kernel whose virtio header did not describe them (malformed
     * GSO or checksum offsets), dropped.
     *
     * @return the count since construction
     */
    public long droppedReads() {
        return droppedReads;
    }

    /**
     * Super-packets written by write offload, each carrying several of the packets written during
     * one read batch.
     *
     * @return the count since construction
     */
    public long superPacketsWritten() {
        return superPacketsWritten;
    }

    /**
     * Transient read errors ({@code EIO}, {@code ENOBUFS}) after which reading paused briefly.
     *
     * @return the count since construction
     */
    public long readErrors() {
        return readErrors;
    }

    /**
     * Exceptions thrown by the protocol's {@code datagramReceived}.
     *
     * @return the count since construction
     */
    public long protocolErrors() {
        return protocolErrors;
    }

    /**
     * Twisted's log prefix.
     *
     * @return e.g. {@code "IPProtocol (IFF_TUN)"}
     */
    @Override
    public String logPrefix() {
        return logPrefix;
    }

    /**
     * Twisted's repr.
     *
     * @return e.g. {@code <com.example.MyProtocol listening on IFF_TUN/tun0>}
     */
    @Override
    public String toString() {
        return "<" + protocol.getClass().getName() + (connected ? "" : " not") + " listening on " + mode.name()
            + "/" + interfaceName + ">";
    }
}
