package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import io.jpair.transport.BasePort;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.FrameProtocol;
import io.jpair.transport.PacketProtocol;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.transport.SegmentOffload;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port on a Linux TUN or TAP device (Twisted's {@code twisted.pair.tuntap.TuntapPort}): it opens
 * the device, reads packets when the reactor says the fd is readable, hands each to its protocol,
 * and writes packets back into the kernel. The fd itself is a {@link TunDevice}; how packets sit
 * on it (plain, or behind a virtio-net header) is a {@link Framing}; this class is the reactor
 * adapter and the lifecycle.
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
 * {@value #MAX_THROUGHPUT} bytes per wake-up (so one busy device cannot starve others), then calls
 * the protocol's {@link PacketProtocol#readComplete()}. Each packet is a view over the port's
 * reused native memory, valid during the callback only: nothing is allocated per packet. An
 * exception from the protocol is counted and logged (rate-limited) and reading goes on.
 * {@code EIO}/{@code ENOBUFS} are transient: counted, reading pauses for
 * {@link #READ_RETRY_DELAY} and resumes. Any other read error (e.g. {@code EBADFD} once the device
 * is deleted) disconnects the port through the reactor: {@code connectionLost} runs with that
 * error and the fd is closed once.
 *
 * <p><b>Writing.</b> {@link #write(ByteBuffer)} writes one packet synchronously, unbuffered; a
 * direct buffer is written from its own memory, without a copy. {@code EINTR} is retried;
 * {@code EAGAIN}/{@code ENOBUFS} (a full device queue) drop the packet, count it in
 * {@link DeviceCounters#droppedWrites()} and return 0; other errors throw an
 * {@link ErrnoException} naming the device. {@link #writeSequence} writes several buffers as one
 * packet with one {@code writev}.
 *
 * <p><b>Write offload and batching.</b> With {@link OffloadOptions#txOffload()}, the writes a
 * protocol makes while the port delivers a read batch (a reply, an echo, a forwarded packet, and
 * the writes of {@code readComplete}) are held until the batch ends (or 64 are held), then
 * coalesced: packets of one TCP or UDP flow go to the kernel as one GSO super-packet, in the order
 * written per flow. With {@link OffloadOptions#explicitFlush()} as well, writes from anywhere (a
 * timer, another port's or a socket's callback) are held until {@link #flush()} (Netty's
 * {@code write}/{@code flush}). A held write returns the packet's length at once; if the kernel
 * later refuses it, the packets are counted in {@code droppedWrites()} and, unless the queue was
 * merely full, a warning is logged (at most one a second). Held writes are flushed before the fd
 * closes.
 *
 * <p><b>Stopping.</b> {@link #stopListening()} stops reading at once and closes on the next
 * reactor turn; the returned future (the same one on repeated calls) completes after
 * {@code connectionLost}. The port can be started again afterwards.
 *
 * <p><b>Threading.</b> Every method belongs to the reactor thread, except {@link #counters()},
 * which other threads may read. Hand work over with {@link Reactor#callFromThread}.
 *
 * <p><b>Fixed Twisted bugs.</b> Unlike Twisted: the fd is closed when a configuring ioctl fails
 * (Twisted leaked it); restart after stop works (Twisted never reset its state); a TUN port feeds
 * {@code IPProtocol} directly (Twisted passed too few arguments); the fd is closed even if the
 * protocol's {@code doStop} throws; cancelling the stop future does not leave the port half-stopped;
 * a protocol that is neither raw nor Ethernet is rejected with a message, not an assert;
 * {@code loseWriteConnection()} refuses later writes instead of disconnecting the port.
 */
public class TuntapPort extends BasePort implements PacketTransport {
    /** The clone device. */
    public static final String TUN_DEVICE = TunDevice.CLONE_DEVICE;
    /** Bytes read per reactor wake-up before yielding (Twisted's {@code maxThroughput}). */
    public static final int MAX_THROUGHPUT = 256 * 1024;
    /** The largest packet {@link #write} accepts: an IP packet plus PI and Ethernet headers. */
    public static final int MAX_WRITE_SIZE = 65535 + 4 + 18;
    /** How long reading pauses after a transient read error ({@code EIO}, {@code ENOBUFS}). */
    public static final Duration READ_RETRY_DELAY = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(TuntapPort.class);

    private final PacketProtocol protocol;
    private final IOSystem system;
    private final TunnelOptions options;
    private final OffloadOptions offload;
    private final TunnelFlags mode;
    private final String requestedName;
    private final String logPrefix;
    private final DeviceCounters counters = new DeviceCounters();
    private final LogLimiter readFailures = new LogLimiter();
    private final BooleanSupplier stillReading = this::isReading;
    private TunDevice device;
    private String interfaceName;
    private boolean delivering;
    private DeviceReader reader;
    private DeviceWriter writer;
    private VirtioFraming virtio;
    private SegmentOffload segmentOffload;

    private boolean backingOff;
    private DelayedCall pendingResume;

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
     * {@code TUNSETOFFLOAD} is negotiated ({@link TunDevice#open}); reads split the kernel's GSO
     * super-packets and deliver one wire-size packet per {@code datagramReceived}, with checksums
     * completed; writes carry a zero virtio header. The protocol never sees the header. With
     * {@link OffloadOptions#txOffload()}, writes are held and coalesced (see the class comment).
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
        this.requestedName = TunDevice.validName(interfaceName);
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
        boolean vnet = offload.any() || options.extraFlags().contains(TunnelFlags.IFF_VNET_HDR);
        if (vnet && (mode != TunnelFlags.IFF_TUN || options.packetInformation())) {
            throw new IllegalArgumentException("offload needs a TUN device without the packet-information header");
        }
    }

    /**
     * Opens and configures the device ({@link TunDevice#open}), adopts the name the kernel chose,
     * connects the protocol and starts reading.
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
        try {
            device = TunDevice.open(requestedName, mode, options, offload, system);
        } catch (ErrnoException e) {
            throw new CannotListenException(requestedName, e);
        }
        interfaceName = device.name();
        allocate(device.hasVirtioHeader());
        listeningStarted();
        try {
            protocol.makeConnection(this);
        } catch (RuntimeException e) {
            connected = false;
            closeFd();
            throw new CannotListenException(interfaceName, e);
        }
        startReading();
    }

    private void allocate(boolean vnet) {
        if (reader == null) {
            // Auto arena: set-up and the reactor may be different threads; reused across restarts.
            Arena arena = Arena.ofAuto();
            int capacity = vnet ? Math.max(options.maxPacketSize(), TunQueue.SCRATCH_SIZE) : options.maxPacketSize();
            reader = new DeviceReader(arena, capacity, protocol, reactor, counters);
            writer = new DeviceWriter(arena, reactor, counters, logPrefix, offload.txOffload());
        }
        Framing framing = reader.attach(vnet, offload.tcpSuperPackets());
        virtio = framing instanceof VirtioFraming v ? v : null;
        writer.attach(device, framing, offload.udp());
    }

    /**
     * TCP segmentation offload: with {@link OffloadOptions#tcpSuperPackets()} on a TUN device with
     * a virtio header, the kernel's TCP super-packets are delivered unsplit (their {@code gso_size}
     * and partial checksum described here during {@code datagramReceived}) and TCP super-packets
     * can be written for the kernel to segment.
     *
     * @return this port's offload, or {@link SegmentOffload#NONE} without TCP super-packets
     */
    @Override
    public SegmentOffload segmentOffload() {
        if (!offload.tcpSuperPackets()) {
            return SegmentOffload.NONE;
        }
        if (segmentOffload == null) {
            segmentOffload = new PortSegmentOffload(this);
        }
        return segmentOffload;
    }

    int receivedSegmentSize() {
        VirtioFraming v = virtio;
        return v == null ? 0 : v.receivedSegmentSize();
    }

    boolean receivedChecksumTrusted() {
        VirtioFraming v = virtio;
        return v != null && v.receivedChecksumTrusted();
    }

    boolean canWriteTcpSuperPackets() {
        return device != null && device.fd() >= 0 && device.hasVirtioHeader() && !isWriteDisconnected();
    }

    int writeTcpSuperPacket(ByteBuffer packet, int mss) throws ErrnoException {
        if (device != null && device.fd() >= 0 && !device.hasVirtioHeader()) {
            throw new UnsupportedOperationException(interfaceName + ": TCP super-packets need the virtio header "
                + "(OffloadOptions with rxOffload or txOffload)");
        }
        checkWritable(packet.remaining());
        return writer.writeTcpSuperPacket(packet, mss);
    }

    /**
     * Reads and delivers packets until {@code EAGAIN}/{@code EINTR}, or until
     * {@value #MAX_THROUGHPUT} bytes were read in this call; then {@code readComplete}, then the
     * held writes are flushed.
     *
     * @throws ErrnoException for any other read error (the reactor then disconnects the port)
     */
    @Override
    public void doRead() throws ErrnoException {
        int transientErrno;
        delivering = true;
        try {
            transientErrno = reader.readBatch(device, stillReading);
        } finally {
            delivering = false;
            flush();
        }
        if (transientErrno != 0) {
            backOffReading(transientErrno);
        }
    }

    /**
     * A transient read error (EIO, ENOBUFS): count it, stop reading for {@link #READ_RETRY_DELAY}
     * so a level-triggered fd cannot spin, then read again if nobody else paused or stopped us.
     */
    private void backOffReading(int errno) {
        counters.readError();
        if (readFailures.allow(reactor.nanoTime())) {
            LOG.warn("{}: {}; retrying in {} ms", logPrefix,
                new ErrnoException("read", interfaceName, errno).getMessage(), READ_RETRY_DELAY.toMillis());
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

    // ---------------------------------------------------------------- writing

    /**
     * Writes one packet; see the class comment for holding, the errno mapping and the direct path.
     *
     * @param packet from position to limit; not kept, position not moved
     * @return bytes written (or held), or 0 if the device queue was full and the packet was dropped
     * @throws ErrnoException {@code EBADF} when not listening, {@code EPIPE} after
     *     {@code loseWriteConnection()}, {@code EMSGSIZE} above {@value #MAX_WRITE_SIZE} bytes, or
     *     the kernel's error (e.g. {@code EIO}: link down)
     */
    @Override
    public int write(ByteBuffer packet) throws ErrnoException {
        checkWritable(packet.remaining());
        return writer.write(packet, holding());
    }

    @Override
    public int write(byte[] packet) throws ErrnoException {
        checkWritable(packet.length);
        return writer.write(packet, holding());
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
        checkWritable(0);
        return writer.writeSequence(parts, holding());
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
        checkWritable(0);
        return writer.writeSequence(parts, offset, count, holding());
    }

    /**
     * Writes every held packet now, coalesced (see the class comment); nothing to do without
     * write offload.
     */
    @Override
    public void flush() {
        if (device != null) {
            writer.flush();
        }
    }

    private boolean holding() {
        return delivering || offload.explicitFlush();
    }

    private void checkWritable(int length) throws ErrnoException {
        if (device == null || device.fd() < 0) {
            throw new ErrnoException("write", interfaceName, Errno.EBADF, "the port is not listening");
        }
        if (isWriteDisconnected()) {
            throw new ErrnoException("write", interfaceName, Errno.EPIPE, "writes were shut down by loseWriteConnection()");
        }
        if (length > MAX_WRITE_SIZE) {
            throw new ErrnoException("write", interfaceName, Errno.EMSGSIZE,
                length + " bytes is more than a packet (" + MAX_WRITE_SIZE + ")");
        }
    }

    /** Half close: held writes go out first; later writes are refused. */
    @Override
    protected void closeWriteConnection() {
        flush();
    }

    // ---------------------------------------------------------------- stopping

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

    @Override
    protected boolean isOpen() {
        return device != null && device.fd() >= 0;
    }

    @Override
    protected void stopProtocol() {
        protocol.doStop();
    }

    @Override
    protected void release() {
        closeFd();
    }

    /** A read back-off in progress ends with the port. */
    @Override
    protected void cancelTimers() {
        backingOff = false;
        if (pendingResume != null) {
            pendingResume.cancel();
            pendingResume = null;
        }
    }

    private void closeFd() {
        connected = false;
        int rc = device.closeFd();
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
        return device == null ? -1 : device.fd();
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
     * The {@code TUN_F_*} offloads the kernel accepted (see {@link Offloads}).
     *
     * @return the bits, 0 without offload or before start
     */
    public int offloads() {
        return device == null ? 0 : device.offloads();
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
     * The port's traffic counters: packets delivered to the protocol and written, drops, errors.
     * Any thread may read them.
     *
     * @return the counters, the same object for the port's life (across restarts)
     */
    public DeviceCounters counters() {
        return counters;
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
