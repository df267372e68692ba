package io.jpair.socket;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.reactor.Reactor;
import io.jpair.transport.BasePort;
import io.jpair.transport.CannotListenException;
import io.jpair.udp.DatagramProtocol;
import io.jpair.udp.DatagramTransport;
import io.jpair.udp.RawUDPProtocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kernel UDP socket on the reactor (Twisted's {@code reactor.listenUDP} and its
 * {@code udp.Port}): the port and the {@link DatagramTransport} of its {@link DatagramProtocol}.
 * The same protocol class runs unchanged here or on jpair's own stack
 * ({@link RawUDPProtocol#addProto}).
 *
 * <pre>{@code
 * EpollReactor reactor = new EpollReactor();
 * UdpPort port = UdpPort.listen(reactor, 9999, new Echo());          // 0.0.0.0:9999
 * UdpPort v6 = UdpPort.listen(reactor, 9999, new Echo(), "::");       // dual stack: IPv6 and IPv4
 * reactor.run();
 * }</pre>
 *
 * <p><b>Addresses.</b> The bind address picks the family: an IPv4 address gives an
 * {@code AF_INET} socket, an IPv6 one an {@code AF_INET6} socket; {@code ::} with
 * {@link UdpOptions#ipv6Only()} off (the default) also carries IPv4, whose senders are presented as
 * IPv4 (unmapped) and answered v4-mapped. {@link #connect} fixes a peer: only its datagrams
 * arrive, {@link #write(ByteBuffer)} sends to it, and an ICMP port unreachable it causes reaches
 * {@link DatagramProtocol#connectionRefused()}.
 *
 * <p><b>Reading.</b> Each wake-up makes one {@code recvmmsg} of up to
 * {@link UdpOptions#receiveBatch()} datagrams into reused native memory, delivers each to
 * {@code datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort)}, then calls
 * {@link DatagramProtocol#readComplete()} once; nothing is allocated per datagram. The
 * {@link IpPacket} is a reused view built from the socket address the kernel gives: source
 * address and version as received, protocol UDP, destination the port's bound address (the
 * wildcard when bound to it), no options. A datagram larger than
 * {@link UdpOptions#maxDatagramSize()} is dropped and counted ({@link UdpCounters#droppedReads()}),
 * never delivered cut. An exception from the protocol is counted and logged, and delivery goes on.
 * {@code ENOBUFS}/{@code ENOMEM} are counted; any other receive error disconnects the port through
 * the reactor.
 *
 * <p><b>UDP GRO.</b> With {@link UdpOptions#withGro(boolean) withGro(true)} the port asks for
 * {@code UDP_GRO} at start ({@link #groEnabled()} says whether the kernel agreed; a refusal is a
 * clean fallback to ordinary datagrams). A coalesced datagram is split into its segments, one
 * {@code datagramReceived} each, unless the protocol implements {@link SegmentedDatagramReceiver},
 * which gets it whole with its segment size.
 *
 * <p><b>Writing.</b> A write copies the payload once into the port's send block and goes to the
 * kernel with {@code sendmmsg}. Writes made while the port delivers a read batch (replies, and the
 * writes of {@code readComplete}) are held and sent together when the batch ends (one
 * {@code sendmmsg} per up to 64 datagrams); with {@link UdpOptions#explicitFlush()} every write is
 * held until {@link #flush()}. A held write returns its length at once. UDP semantics on a full
 * send buffer: {@code EAGAIN}/{@code ENOBUFS} drop the datagram, count it in
 * {@link UdpCounters#droppedWrites()} and return 0 (nothing is queued in user space and the port
 * never waits for writability). Other kernel refusals ({@code ENETUNREACH}, {@code EMSGSIZE}, ...)
 * are counted and logged (at most one line a second, naming the socket and errno) and return 0;
 * {@code ECONNREFUSED} calls {@link DatagramProtocol#connectionRefused()}. A payload larger than
 * one datagram (65,507 bytes over IPv4, 65,527 over IPv6) throws IllegalArgumentException.
 *
 * <p><b>UDP GSO.</b> {@link #writeSegments(ByteBuffer, int, InetSocketAddress)} sends one buffer
 * as consecutive datagrams of {@code segmentSize} bytes: one {@code UDP_SEGMENT} super-datagram
 * where the kernel has GSO ({@link #gsoEnabled()}, probed at start when
 * {@link UdpOptions#gso()}), else the same datagrams one by one in one {@code sendmmsg}. If the
 * kernel refuses GSO at send time ({@code EIO}: no checksum offload on the egress device) GSO is
 * switched off for the port and the datagram resent split.
 *
 * <p><b>Stopping.</b> {@link #stopListening()} stops reading at once and closes on the next
 * reactor turn; held writes are sent first. The port can be started again.
 *
 * <p>Reactor thread only, except {@link #counters()}. Unlike Twisted, a port on {@code ::} is
 * dual-stack on purpose (Twisted leaves it to the system default), a datagram larger than the
 * read size is counted instead of silently cut, and a full send buffer drops (counted) instead of
 * raising from {@code write}.
 */
public class UdpPort extends BasePort implements DatagramTransport {
    /** Most segments in one GSO send: the kernel's {@code UDP_MAX_SEGMENTS} before Linux 6.11 (portable). */
    public static final int MAX_SEGMENTS = 64;
    /** Datagrams per {@code sendmmsg}. */
    public static final int SEND_BATCH = 64;
    /** The largest UDP payload over IPv6. */
    public static final int MAX_IPV6_PAYLOAD = RawUDPProtocol.MAX_IPV6_PAYLOAD;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_IPV4_PAYLOAD = RawUDPProtocol.MAX_IPV4_PAYLOAD;

    private static final Logger LOG = LoggerFactory.getLogger(UdpPort.class);
    private static final int SEND_ROOM = 4 * 65536;
    private static final int GRO_SLOT = 65535;
    private static final long WARN_INTERVAL_NANOS = 1_000_000_000L;

    private final DatagramProtocol protocol;
    private final SegmentedDatagramReceiver segmentReceiver;
    private final UdpSystem system;
    private final UdpOptions options;
    private final InetSocketAddress requested;
    private final int family;
    private final UdpCounters counters = new UdpCounters();
    private final IpPacket sender = new IpPacket();
    private final ByteBuffer senderHeader = ByteBuffer.allocate(Ipv6Header.LENGTH);
    private ByteBuffer gather;
    private int fd = -1;
    private InetSocketAddress local;
    private String name;
    private int localIpv4;
    private long localHigh;
    private long localLow;
    private int senderScopeId;
    private InetSocketAddress peer;
    private boolean gso;
    private boolean gro;
    private DatagramBatch receives;
    private DatagramBatch sends;
    private DatagramBatch fallback;
    private boolean delivering;
    private long lastWarning = Long.MIN_VALUE;

    /**
     * A port not yet listening (Twisted's {@code udp.Port(port, proto, interface, maxPacketSize,
     * reactor)}); {@link #startListening()} opens it.
     *
     * @param port the local port, 0 for one the kernel picks
     * @param protocol the protocol; not attached to another transport
     * @param bindAddress the local address ({@code 0.0.0.0}, {@code ::}, a host's address, or a
     *     multicast group to receive only that group's datagrams)
     * @param options how to open and batch
     * @param reactor the reactor that will drive it
     * @param system the system calls; {@code null} for {@link RealUdpSystem}
     * @throws IllegalArgumentException for a port outside 0..65535
     */
    public UdpPort(int port, DatagramProtocol protocol, InetAddress bindAddress, UdpOptions options, Reactor reactor,
            UdpSystem system) {
        super(reactor);
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("UDP port must be 0..65535, not " + port);
        }
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.segmentReceiver = protocol instanceof SegmentedDatagramReceiver r ? r : null;
        this.options = Objects.requireNonNull(options, "options");
        this.system = system != null ? system : RealUdpSystem.INSTANCE;
        this.requested = new InetSocketAddress(Objects.requireNonNull(bindAddress, "bindAddress"), port);
        this.family = bindAddress instanceof Inet4Address ? UdpSystem.AF_INET : UdpSystem.AF_INET6;
        this.name = describe(requested);
    }

    /**
     * Twisted's {@code reactor.listenUDP(port, protocol)}: listens on {@code 0.0.0.0}.
     *
     * @param reactor the reactor
     * @param port the local port, 0 for any
     * @param protocol the protocol
     * @return the listening port
     * @throws CannotListenException naming the socket, the call and the errno (e.g.
     *     {@code EADDRINUSE})
     */
    public static UdpPort listen(Reactor reactor, int port, DatagramProtocol protocol) throws CannotListenException {
        return listen(reactor, port, protocol, "0.0.0.0", UdpOptions.defaults());
    }

    /**
     * Twisted's {@code reactor.listenUDP(port, protocol, interface)}.
     *
     * @param reactor the reactor
     * @param port the local port, 0 for any
     * @param protocol the protocol
     * @param interfaceAddress a literal address: {@code "0.0.0.0"}, {@code "::"} (dual stack),
     *     {@code "127.0.0.1"}, ...
     * @return the listening port
     * @throws CannotListenException naming the socket, the call and the errno
     * @throws IllegalArgumentException if the address is not a literal
     */
    public static UdpPort listen(Reactor reactor, int port, DatagramProtocol protocol, String interfaceAddress)
            throws CannotListenException {
        return listen(reactor, port, protocol, interfaceAddress, UdpOptions.defaults());
    }

    /**
     * {@code listenUDP} with options.
     *
     * @param reactor the reactor
     * @param port the local port, 0 for any
     * @param protocol the protocol
     * @param interfaceAddress a literal address
     * @param options how to open and batch
     * @return the listening port
     * @throws CannotListenException naming the socket, the call and the errno
     * @throws IllegalArgumentException if the address is not a literal
     */
    public static UdpPort listen(Reactor reactor, int port, DatagramProtocol protocol, String interfaceAddress,
            UdpOptions options) throws CannotListenException {
        UdpPort udp = new UdpPort(port, protocol, literal(interfaceAddress), options, reactor, null);
        udp.startListening();
        return udp;
    }

    private static InetAddress literal(String address) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
            : address;
        if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
            throw new IllegalArgumentException("not a literal IP address: " + address);
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a literal IP address: " + address, e);
        }
    }

    private static String describe(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return "udp " + host + ":" + address.getPort();
    }

    // ---------------------------------------------------------------- starting

    /**
     * Opens the socket, sets the options, binds, probes GSO and GRO, connects the protocol and
     * starts reading.
     *
     * @throws CannotListenException naming the socket, the call and the errno; the fd is closed
     * @throws IllegalStateException if already listening
     */
    @Override
    public void startListening() throws CannotListenException {
        if (connected) {
            throw new IllegalStateException(this + " is already listening");
        }
        name = describe(requested);
        int socket = system.socket(family);
        if (socket < 0) {
            throw new CannotListenException(name, new ErrnoException("socket", name, -socket));
        }
        fd = socket;
        try {
            configure();
        } catch (ErrnoException e) {
            closeFd();
            throw new CannotListenException(name, e);
        }
        allocate();
        listeningStarted();
        peer = null;
        try {
            protocol.makeConnection(this);
        } catch (RuntimeException e) {
            connected = false;
            closeFd();
            throw new CannotListenException(name, e);
        }
        startReading();
    }

    private void configure() throws ErrnoException {
        if (family == UdpSystem.AF_INET6) {
            check(system.setOption(fd, UdpSystem.SOL_IPV6, UdpSystem.IPV6_V6ONLY, options.ipv6Only() ? 1 : 0),
                "setsockopt(IPV6_V6ONLY)");
        }
        // The FORCE form first (CAP_NET_ADMIN: beyond rmem_max/wmem_max), as wireguard-go does;
        // without the capability the plain form, which the kernel caps.
        int rcvbuf = options.receiveBufferSize();
        int sndbuf = options.sendBufferSize();
        if (rcvbuf > 0 && system.setOption(fd, UdpSystem.SOL_SOCKET, UdpSystem.SO_RCVBUFFORCE, rcvbuf) < 0) {
            check(system.setOption(fd, UdpSystem.SOL_SOCKET, UdpSystem.SO_RCVBUF, options.receiveBufferSize()),
                "setsockopt(SO_RCVBUF)");
        }
        if (sndbuf > 0 && system.setOption(fd, UdpSystem.SOL_SOCKET, UdpSystem.SO_SNDBUFFORCE, sndbuf) < 0) {
            check(system.setOption(fd, UdpSystem.SOL_SOCKET, UdpSystem.SO_SNDBUF, options.sendBufferSize()),
                "setsockopt(SO_SNDBUF)");
        }
        check(system.bind(fd, family, requested), "bind");
        InetSocketAddress[] bound = new InetSocketAddress[1];
        check(system.localAddress(fd, bound), "getsockname");
        local = bound[0];
        name = describe(local);
        InetAddress address = local.getAddress();
        localIpv4 = address instanceof Inet4Address ? Ipv4Header.toInt(address) : 0;
        localHigh = address instanceof Inet6Address ? Ipv6Header.high(address) : 0;
        localLow = address instanceof Inet6Address ? Ipv6Header.low(address) : 0;
        // GSO: the kernel has it if UDP_SEGMENT can be read (Linux 4.18+).
        gso = options.gso() && system.getOption(fd, UdpSystem.SOL_UDP, UdpSystem.UDP_SEGMENT) >= 0;
        gro = false;
        if (options.gro()) {
            int rc = system.setOption(fd, UdpSystem.SOL_UDP, UdpSystem.UDP_GRO, 1);
            gro = rc == 0;
            if (!gro) {
                LOG.debug("{}: setsockopt(UDP_GRO): {}; receiving without GRO", name, Errno.name(-rc));
            }
        }
    }

    private void check(int rc, String operation) throws ErrnoException {
        if (rc < 0) {
            throw new ErrnoException(operation, name, -rc, hint(-rc));
        }
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.EADDRINUSE -> "another socket is bound to this address and port";
            case Errno.EACCES -> "ports below 1024 need CAP_NET_BIND_SERVICE";
            case Errno.EADDRNOTAVAIL -> "the address is not one of this host's";
            default -> null;
        };
    }

    private void allocate() {
        releaseBatches();
        int slot = gro ? GRO_SLOT : options.maxDatagramSize();
        receives = DatagramBatch.forReceive(options.receiveBatch(), slot);
        sends = DatagramBatch.forSend(SEND_BATCH, SEND_ROOM);
    }

    private void releaseBatches() {
        if (receives != null) {
            receives.release();
            sends.release();
            receives = null;
            sends = null;
        }
        if (fallback != null) {
            fallback.release();
            fallback = null;
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * One {@code recvmmsg} batch: delivers each datagram, calls {@code readComplete} once, then
     * sends the writes held during the batch.
     *
     * @throws ErrnoException for a receive error other than {@code EAGAIN}, {@code EINTR},
     *     {@code ECONNREFUSED}, {@code ENOBUFS} and {@code ENOMEM} (the reactor then disconnects
     *     the port)
     */
    @Override
    public void doRead() throws ErrnoException {
        if (fd < 0) {
            return;
        }
        delivering = true;
        try {
            readBatch();
        } finally {
            delivering = false;
            flushSends(sends);
        }
    }

    private void readBatch() throws ErrnoException {
        DatagramBatch batch = receives;
        int capacity = batch.capacity();
        batch.prepareReceive(capacity);
        int n = system.receive(fd, batch, capacity);
        if (n <= 0) {
            int errno = -n;
            if (n == 0 || errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return;
            }
            if (errno == Errno.ECONNREFUSED) {
                refused();
                return;
            }
            if (errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
                counters.readError();
                return;
            }
            throw new ErrnoException("recvmmsg", name, errno);
        }
        counters.readBatch();
        for (int i = 0; i < n; i++) {
            deliver(batch, i);
        }
        try {
            protocol.readComplete();
        } catch (RuntimeException e) {
            protocolFailed(e);
        }
    }

    private void deliver(DatagramBatch batch, int index) {
        int length = batch.length(index);
        if (batch.truncated(index)) {
            counters.droppedRead();
            warn("recvmmsg", "a datagram larger than the " + batch.slotSize() + "-byte receive slot was dropped"
                + " (UdpOptions.withMaxDatagramSize)");
            return;
        }
        int sourcePort = fillSender(batch, index, length);
        ByteBuffer view = batch.payload(index);
        int segmentSize = gro ? batch.segmentSize(index) : 0;
        boolean coalesced = segmentSize > 0 && segmentSize < length;
        if (coalesced) {
            counters.read((length + segmentSize - 1) / segmentSize, length);
            counters.superDatagramRead();
        } else {
            counters.read(1, length);
        }
        if (segmentReceiver != null) {
            view.limit(length).position(0);
            try {
                segmentReceiver.segmentsReceived(view, coalesced ? segmentSize : Math.max(1, length), sender,
                    sourcePort);
            } catch (RuntimeException e) {
                protocolFailed(e);
            }
        } else if (coalesced) {
            for (int offset = 0; offset < length; offset += segmentSize) {
                view.limit(Math.min(offset + segmentSize, length)).position(offset);
                deliverOne(view, sourcePort);
            }
        } else {
            view.limit(length).position(0);
            deliverOne(view, sourcePort);
        }
    }

    private void deliverOne(ByteBuffer view, int sourcePort) {
        try {
            protocol.datagramReceived(view, sender, sourcePort);
        } catch (RuntimeException e) {
            protocolFailed(e);
        }
    }

    /** Builds the reused IP-level view of entry {@code index}'s sender; returns its port. */
    private int fillSender(DatagramBatch batch, int index, int length) {
        ByteBuffer h = senderHeader;
        if (batch.sourceFamily(index) == UdpSystem.AF_INET) {
            ipv4View(h, batch.sourceIpv4(index), length);
        } else {
            long high = batch.sourceHigh(index);
            long low = batch.sourceLow(index);
            if (high == 0 && (low >>> 32) == 0xFFFF) {
                ipv4View(h, (int) low, length);
            } else {
                h.putInt(0, 0x6000_0000);
                h.putShort(4, (short) Math.min(0xFFFF, 8 + length));
                h.put(6, (byte) 17);
                h.put(7, (byte) 64);
                h.putLong(8, high);
                h.putLong(16, low);
                h.putLong(24, localHigh);
                h.putLong(32, localLow);
                senderScopeId = batch.sourceScopeId(index);
            }
        }
        sender.wrap(h, 0);
        return batch.sourcePort(index);
    }

    private void ipv4View(ByteBuffer h, int source, int length) {
        h.putInt(0, 0x4500_0000 | Math.min(0xFFFF, Ipv4Header.MIN_LENGTH + 8 + length));
        h.putInt(4, Ipv4Header.FLAG_DONT_FRAGMENT);
        h.putInt(8, 64 << 24 | 17 << 16);
        h.putInt(12, source);
        h.putInt(16, localIpv4);
    }

    private void refused() {
        try {
            protocol.connectionRefused();
        } catch (RuntimeException e) {
            protocolFailed(e);
        }
    }

    private void protocolFailed(RuntimeException e) {
        counters.protocolError();
        if (allowWarning()) {
            LOG.warn("{}: {} failed; delivery goes on", name, protocol.getClass().getName(), e);
        }
    }

    // ---------------------------------------------------------------- writing

    @Override
    public int getPort() {
        return local != null ? local.getPort() : requested.getPort();
    }

    /**
     * Sends a datagram to {@code destination}; see the class comment for holding, drops and the
     * dual-stack mapping.
     *
     * @param payload from position to limit; position not moved
     * @param destination resolved address and port
     * @return payload bytes sent or held, 0 if dropped
     * @throws IllegalArgumentException for an unresolved address, an IPv6 destination on an IPv4
     *     socket, a port outside 0..65535, or a payload too big for one datagram
     * @throws IllegalStateException if the port is not listening
     */
    @Override
    public int write(ByteBuffer payload, InetSocketAddress destination) {
        InetAddress address = address(destination);
        if (address instanceof Inet4Address) {
            return queue(payload, Ipv4Header.toInt(address), 0, 0, 0, destination.getPort(), 0, true);
        }
        return queue(payload, 0, Ipv6Header.high(address), Ipv6Header.low(address),
            ((Inet6Address) address).getScopeId(), destination.getPort(), 0, false);
    }

    @Override
    public int writeIpv4(ByteBuffer payload, int address, int destinationPort) {
        return queue(payload, address, 0, 0, 0, destinationPort, 0, true);
    }

    @Override
    public int writeIpv6(ByteBuffer payload, long high, long low, int destinationPort) {
        return queue(payload, 0, high, low, 0, destinationPort, 0, false);
    }

    /**
     * Sends a datagram back to the sender of the one being delivered: to its address and
     * {@code destinationPort}, from this socket (the kernel picks the source address). A
     * link-local IPv6 sender is answered on the interface it came from. Unlike jpair's stack, no
     * reply guard applies: the kernel socket is an ordinary application socket.
     *
     * @param payload from position to limit
     * @param received the packet view handed to {@code datagramReceived}
     * @param destinationPort the sender's port
     * @return payload bytes sent or held, 0 if dropped
     */
    @Override
    public int reply(ByteBuffer payload, IpPacket received, int destinationPort) {
        if (received.isIpv4()) {
            return queue(payload, received.sourceIpv4(), 0, 0, 0, destinationPort, 0, true);
        }
        int scope = received == sender ? senderScopeId : 0;
        return queue(payload, 0, received.sourceHigh(), received.sourceLow(), scope, destinationPort, 0, false);
    }

    /**
     * Sends a datagram to the connected peer (Twisted's {@code write(data)} on a connected port).
     *
     * @param payload from position to limit
     * @return payload bytes sent or held, 0 if dropped
     * @throws IllegalStateException if not listening or not connected
     * @throws IllegalArgumentException if too big for one datagram
     */
    @Override
    public int write(ByteBuffer payload) {
        return writeSegments(payload, 0);
    }

    /**
     * Sends the concatenation of {@code parts} as one datagram to the connected peer (Twisted's
     * {@code writeSequence}); the parts are gathered into one reused buffer, then sent as by
     * {@link #write(ByteBuffer)}.
     *
     * @param parts the pieces, each from position to limit (positions not moved)
     * @return payload bytes sent or held, 0 if dropped
     * @throws IllegalStateException if not listening or not connected
     * @throws IllegalArgumentException if together too big for one datagram
     */
    @Override
    public int writeSequence(List<ByteBuffer> parts) {
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            total += parts.get(i).remaining();
        }
        if (total > MAX_IPV6_PAYLOAD) {
            throw new IllegalArgumentException(total + " bytes do not fit in one UDP datagram");
        }
        if (gather == null) {
            gather = ByteBuffer.allocateDirect(MAX_IPV6_PAYLOAD);
        }
        gather.clear();
        for (int i = 0; i < parts.size(); i++) {
            ByteBuffer part = parts.get(i);
            gather.put(gather.position(), part, part.position(), part.remaining());
            gather.position(gather.position() + part.remaining());
        }
        gather.flip();
        return write(gather);
    }

    /**
     * Sends {@code payload} to {@code destination} as consecutive datagrams of
     * {@code segmentSize} bytes each (the last may be shorter): one UDP GSO super-datagram
     * ({@code UDP_SEGMENT} control message) when {@link #gsoEnabled()}, else as separate datagrams
     * in one {@code sendmmsg}. The receiver sees the same datagrams either way. This is the send
     * half of a tunnel's offload: a TUN super-packet split into MTU-size segments, written as one
     * buffer.
     *
     * @param payload the segments back to back, from position to limit; position not moved
     * @param segmentSize bytes per datagram, 1..65507; 0 means one datagram (no segmentation)
     * @param destination resolved address and port
     * @return payload bytes sent or held, 0 if dropped
     * @throws IllegalArgumentException for more than {@value #MAX_SEGMENTS} segments, a total above
     *     the largest UDP payload, or a bad destination
     * @throws IllegalStateException if the port is not listening
     */
    public int writeSegments(ByteBuffer payload, int segmentSize, InetSocketAddress destination) {
        InetAddress address = address(destination);
        if (address instanceof Inet4Address) {
            return queue(payload, Ipv4Header.toInt(address), 0, 0, 0, destination.getPort(), segmentSize, true);
        }
        return queue(payload, 0, Ipv6Header.high(address), Ipv6Header.low(address),
            ((Inet6Address) address).getScopeId(), destination.getPort(), segmentSize, false);
    }

    /**
     * {@link #writeSegments(ByteBuffer, int, InetSocketAddress)} to an IPv4 destination
     * (allocation-free).
     *
     * @param payload the segments back to back
     * @param segmentSize bytes per datagram; 0 for one datagram
     * @param address the destination as an int
     * @param destinationPort 0..65535
     * @return payload bytes sent or held, 0 if dropped
     */
    public int writeSegmentsIpv4(ByteBuffer payload, int segmentSize, int address, int destinationPort) {
        return queue(payload, address, 0, 0, 0, destinationPort, segmentSize, true);
    }

    /**
     * {@link #writeSegments(ByteBuffer, int, InetSocketAddress)} to an IPv6 destination
     * (allocation-free).
     *
     * @param payload the segments back to back
     * @param segmentSize bytes per datagram; 0 for one datagram
     * @param high destination, high 64 bits
     * @param low destination, low 64 bits
     * @param destinationPort 0..65535
     * @return payload bytes sent or held, 0 if dropped
     */
    public int writeSegmentsIpv6(ByteBuffer payload, int segmentSize, long high, long low, int destinationPort) {
        return queue(payload, 0, high, low, 0, destinationPort, segmentSize, false);
    }

    /**
     * {@link #writeSegments(ByteBuffer, int, InetSocketAddress)} to the connected peer.
     *
     * @param payload the segments back to back
     * @param segmentSize bytes per datagram; 0 for one datagram
     * @return payload bytes sent or held, 0 if dropped
     * @throws IllegalStateException if not listening or not connected
     */
    public int writeSegments(ByteBuffer payload, int segmentSize) {
        if (peer == null) {
            throw new IllegalStateException(name + ": write without a destination needs connect() first");
        }
        boolean v4 = peer.getAddress() instanceof Inet4Address;
        return queue(payload, 0, 0, 0, -1, 0, segmentSize, v4);
    }

    private InetAddress address(InetSocketAddress destination) {
        if (destination.isUnresolved()) {
            throw new IllegalArgumentException("unresolved destination: " + destination);
        }
        return destination.getAddress();
    }

    /**
     * The one write path. {@code scope == -1} means the connected peer. Returns the payload
     * length once queued (held) or sent, 0 when the kernel refused it.
     */
    private int queue(ByteBuffer payload, int ipv4, long high, long low, int scope, int port, int segmentSize,
            boolean toIpv4) {
        if (fd < 0 || !connected) {
            throw new IllegalStateException(name + ": the port is not listening");
        }
        if (isWriteDisconnected()) {
            throw new IllegalStateException(name + ": writes were shut down by loseWriteConnection()");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("UDP port must be 0..65535, not " + port);
        }
        if (!toIpv4 && family == UdpSystem.AF_INET) {
            throw new IllegalArgumentException(name + " is an IPv4 socket and cannot send to IPv6 "
                + Ipv6Header.toInetAddress(high, low).getHostAddress());
        }
        int length = payload.remaining();
        int max = toIpv4 ? MAX_IPV4_PAYLOAD : MAX_IPV6_PAYLOAD;
        if (length > max) {
            throw new IllegalArgumentException(length + " bytes do not fit in one UDP/" + (toIpv4 ? "IPv4" : "IPv6")
                + " datagram (at most " + max + ")");
        }
        if (segmentSize < 0 || segmentSize > max) {
            throw new IllegalArgumentException("segment size must be 0..." + max + ", not " + segmentSize);
        }
        boolean segmented = segmentSize > 0 && length > segmentSize;
        if (segmented && (length + segmentSize - 1) / segmentSize > MAX_SEGMENTS) {
            throw new IllegalArgumentException(length + " bytes in " + segmentSize + "-byte segments are more than "
                + MAX_SEGMENTS + " segments");
        }
        DatagramBatch batch = sends;
        int offset = payload.position();
        if (!segmented || gso) {
            if (!batch.hasRoom(length)) {
                flushSends(batch);
            }
            add(batch, payload, offset, length, ipv4, high, low, scope, port, segmented ? segmentSize : 0, toIpv4);
        } else {
            for (int at = 0; at < length; at += segmentSize) {
                int part = Math.min(segmentSize, length - at);
                if (!batch.hasRoom(part)) {
                    flushSends(batch);
                }
                add(batch, payload, offset + at, part, ipv4, high, low, scope, port, 0, toIpv4);
            }
        }
        if (delivering || options.explicitFlush()) {
            return length;
        }
        long droppedBefore = counters.droppedWrites();
        flushSends(batch);
        return counters.droppedWrites() == droppedBefore ? length : 0;
    }

    private void add(DatagramBatch batch, ByteBuffer payload, int offset, int length, int ipv4, long high, long low,
            int scope, int port, int segmentSize, boolean toIpv4) {
        if (scope == -1) {
            batch.addConnected(payload, offset, length, segmentSize);
        } else if (toIpv4) {
            batch.addIpv4(payload, offset, length, family, ipv4, port, segmentSize);
        } else {
            batch.addIpv6(payload, offset, length, high, low, port, scope, segmentSize);
        }
    }

    /**
     * Sends every held write now ({@code sendmmsg}); nothing to do when none is held. Netty's
     * {@code flush}: the place for a protocol writing outside a read batch with
     * {@link UdpOptions#explicitFlush()}.
     */
    public void flush() {
        if (sends != null && fd >= 0) {
            flushSends(sends);
        }
    }

    private void flushSends(DatagramBatch batch) {
        int count = batch.sendCount();
        int from = 0;
        while (from < count) {
            counters.writeCall();
            int sent = system.send(fd, batch, from, count - from);
            if (sent > 0) {
                for (int i = from; i < from + sent; i++) {
                    accountSent(batch, i);
                }
                from += sent;
                continue;
            }
            int errno = sent == 0 ? Errno.EAGAIN : -sent;
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
                long dropped = 0;
                for (int i = from; i < count; i++) {
                    dropped += datagrams(batch, i);
                }
                counters.droppedWrites(dropped);
                break;
            }
            if (errno == Errno.EIO && batch.sendSegmentSize(from) > 0) {
                gsoRefused(batch, from);
            } else {
                counters.droppedWrites(datagrams(batch, from));
                if (errno == Errno.ECONNREFUSED) {
                    refused();
                } else {
                    warn("sendmmsg", new ErrnoException("sendmmsg", name, errno).getMessage());
                }
            }
            from++;
        }
        batch.clearSends();
    }

    /** The kernel refused GSO (EIO: no checksum offload on the egress device): off for good, resend split. */
    private void gsoRefused(DatagramBatch batch, int index) {
        gso = false;
        LOG.warn("{}: sendmmsg with UDP_SEGMENT: EIO (the egress device has no checksum offload); "
            + "UDP GSO is off for this port", name);
        if (fallback == null) {
            fallback = DatagramBatch.forSend(MAX_SEGMENTS, 65536);
        }
        fallback.addSplit(batch, index);
        flushSends(fallback);
    }

    private static int datagrams(DatagramBatch batch, int index) {
        int segmentSize = batch.sendSegmentSize(index);
        int length = batch.sendLength(index);
        return segmentSize > 0 ? Math.max(1, (length + segmentSize - 1) / segmentSize) : 1;
    }

    private void accountSent(DatagramBatch batch, int index) {
        int datagrams = datagrams(batch, index);
        counters.written(datagrams, batch.sendLength(index));
        if (datagrams > 1) {
            counters.superDatagramWritten();
        }
    }

    private void warn(String operation, String message) {
        if (allowWarning()) {
            LOG.warn("{}: {}: {}", name, operation, message);
        }
    }

    private boolean allowWarning() {
        long now = reactor.nanoTime();
        if (lastWarning == Long.MIN_VALUE || now - lastWarning >= WARN_INTERVAL_NANOS) {
            lastWarning = now;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- connecting, multicast

    /**
     * Fixes the peer (Twisted's {@code connect(host, port)}): only its datagrams are received
     * afterwards, {@link #write(ByteBuffer)} sends to it, and ICMP port unreachable from it calls
     * {@link DatagramProtocol#connectionRefused()}. Writes with an explicit destination still go
     * where they say (the kernel's rule; Twisted refused them).
     *
     * @param peerAddress the peer, resolved
     * @throws ErrnoException naming the socket when the kernel refuses
     * @throws IllegalStateException if not listening
     * @throws IllegalArgumentException for an IPv6 peer on an IPv4 socket
     */
    public void connect(InetSocketAddress peerAddress) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalStateException(name + ": the port is not listening");
        }
        InetAddress address = address(peerAddress);
        if (family == UdpSystem.AF_INET && !(address instanceof Inet4Address)) {
            throw new IllegalArgumentException(name + " is an IPv4 socket and cannot connect to " + peerAddress);
        }
        flush();
        check(system.connect(fd, family, peerAddress), "connect(" + peerAddress + ")");
        peer = peerAddress;
    }

    /**
     * The connected peer.
     *
     * @return it, or {@code null} when not connected
     */
    public InetSocketAddress getPeer() {
        return peer;
    }

    /**
     * Joins a multicast group on the interface the route to the group names (Twisted's
     * {@code joinGroup(addr)}).
     *
     * @param group an IPv4 or IPv6 multicast address
     * @throws ErrnoException naming the socket (e.g. {@code ENODEV}: no route to the group)
     */
    public void joinGroup(InetAddress group) throws ErrnoException {
        membership(group, null, true);
    }

    /**
     * Joins a multicast group on one interface.
     *
     * @param group an IPv4 or IPv6 multicast address
     * @param interfaceName the interface, e.g. {@code "eth0"}
     * @throws ErrnoException naming the socket, or {@code ENODEV} for an unknown interface
     */
    public void joinGroup(InetAddress group, String interfaceName) throws ErrnoException {
        membership(group, interfaceName, true);
    }

    /**
     * Leaves a group joined with {@link #joinGroup(InetAddress)}.
     *
     * @param group the group
     * @throws ErrnoException naming the socket (e.g. {@code EADDRNOTAVAIL}: not a member)
     */
    public void leaveGroup(InetAddress group) throws ErrnoException {
        membership(group, null, false);
    }

    /**
     * Leaves a group joined on one interface.
     *
     * @param group the group
     * @param interfaceName the interface
     * @throws ErrnoException naming the socket
     */
    public void leaveGroup(InetAddress group, String interfaceName) throws ErrnoException {
        membership(group, interfaceName, false);
    }

    private void membership(InetAddress group, String interfaceName, boolean join) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalStateException(name + ": the port is not listening");
        }
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast address");
        }
        if (family == UdpSystem.AF_INET && !(group instanceof Inet4Address)) {
            throw new IllegalArgumentException(name + " is an IPv4 socket and cannot join " + group.getHostAddress());
        }
        int index = 0;
        if (interfaceName != null) {
            index = system.interfaceIndex(interfaceName);
            if (index < 0) {
                throw new ErrnoException("if_nametoindex(" + interfaceName + ")", name, -index);
            }
        }
        String operation = (join ? "join " : "leave ") + group.getHostAddress()
            + (interfaceName == null ? "" : " on " + interfaceName);
        check(system.membership(fd, group, index, join), operation);
    }

    /**
     * Sets the multicast TTL / hop limit of sent datagrams (Twisted's {@code setTTL}); on an IPv6
     * socket both the IPv6 hop limit and the IPv4 TTL (for v4-mapped sends) are set.
     *
     * @param ttl 0..255
     * @throws ErrnoException naming the socket
     */
    public void setTTL(int ttl) throws ErrnoException {
        setMulticastOption(UdpSystem.IP_MULTICAST_TTL, UdpSystem.IPV6_MULTICAST_HOPS, ttl, "TTL");
    }

    /**
     * The multicast TTL (IPv4 socket) or hop limit (IPv6 socket).
     *
     * @return 0..255
     * @throws ErrnoException naming the socket
     */
    public int getTTL() throws ErrnoException {
        return getMulticastOption(UdpSystem.IP_MULTICAST_TTL, UdpSystem.IPV6_MULTICAST_HOPS, "TTL");
    }

    /**
     * Whether this host's own group members receive what this socket sends to the group
     * (Twisted's {@code setLoopbackMode}; on by default in the kernel).
     *
     * @param loop true to loop multicast back
     * @throws ErrnoException naming the socket
     */
    public void setLoopbackMode(boolean loop) throws ErrnoException {
        setMulticastOption(UdpSystem.IP_MULTICAST_LOOP, UdpSystem.IPV6_MULTICAST_LOOP, loop ? 1 : 0, "LOOP");
    }

    /**
     * Whether multicast is looped back.
     *
     * @return true if it is
     * @throws ErrnoException naming the socket
     */
    public boolean getLoopbackMode() throws ErrnoException {
        return getMulticastOption(UdpSystem.IP_MULTICAST_LOOP, UdpSystem.IPV6_MULTICAST_LOOP, "LOOP") != 0;
    }

    private void setMulticastOption(int ipv4Name, int ipv6Name, int value, String what) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalStateException(name + ": the port is not listening");
        }
        if (family == UdpSystem.AF_INET6) {
            check(system.setOption(fd, UdpSystem.SOL_IPV6, ipv6Name, value), "setsockopt(IPV6_MULTICAST_"
                + (what.equals("TTL") ? "HOPS" : what) + ")");
            if (options.ipv6Only()) {
                return;
            }
        }
        check(system.setOption(fd, UdpSystem.SOL_IP, ipv4Name, value), "setsockopt(IP_MULTICAST_" + what + ")");
    }

    private int getMulticastOption(int ipv4Name, int ipv6Name, String what) throws ErrnoException {
        if (fd < 0) {
            throw new IllegalStateException(name + ": the port is not listening");
        }
        boolean v6 = family == UdpSystem.AF_INET6;
        int value = system.getOption(fd, v6 ? UdpSystem.SOL_IPV6 : UdpSystem.SOL_IP, v6 ? ipv6Name : ipv4Name);
        check(value, "getsockopt(" + (v6 ? "IPV6_MULTICAST_" + (what.equals("TTL") ? "HOPS" : what)
            : "IP_MULTICAST_" + what) + ")");
        return value;
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
        stopListening();
    }

    @Override
    protected boolean isOpen() {
        return fd >= 0;
    }

    @Override
    protected void stopProtocol() {
        protocol.doStop();
    }

    /** Closes the socket and frees the batch memory. */
    @Override
    protected void release() {
        try {
            closeFd();
        } finally {
            releaseBatches();
        }
    }

    private void closeFd() {
        connected = false;
        int rc = system.close(fd);
        fd = -1;
        if (rc < 0) {
            LOG.warn("{}: {}", name, new ErrnoException("close", name, -rc).getMessage());
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * The socket fd.
     *
     * @return the fd while listening, -1 otherwise
     */
    @Override
    public int fileno() {
        return fd;
    }

    /**
     * The local address: the requested one before start, the bound one (with the kernel's port)
     * after.
     *
     * @return e.g. {@code UdpAddress(UDP, 0.0.0.0, 9999)}
     */
    @Override
    public UdpAddress getHost() {
        return new UdpAddress(local != null ? local : requested);
    }

    /**
     * Whether {@link #writeSegments} sends UDP GSO super-datagrams (wanted, and the kernel has it).
     *
     * @return true when GSO is in use
     */
    public boolean gsoEnabled() {
        return gso;
    }

    /**
     * Whether the kernel accepted {@code UDP_GRO}.
     *
     * @return true when coalesced datagrams may arrive
     */
    public boolean groEnabled() {
        return gro;
    }

    /**
     * The options the port was made with.
     *
     * @return the options
     */
    public UdpOptions options() {
        return options;
    }

    /**
     * The port's traffic counters; any thread may read them.
     *
     * @return the counters, the same object across restarts
     */
    public UdpCounters counters() {
        return counters;
    }

    /**
     * The protocol.
     *
     * @return it
     */
    public DatagramProtocol protocol() {
        return protocol;
    }

    @Override
    public String logPrefix() {
        return protocol.getClass().getSimpleName() + " (UDP)";
    }

    /**
     * Twisted's repr.
     *
     * @return e.g. {@code <com.example.Echo on udp 0.0.0.0:9999>}
     */
    @Override
    public String toString() {
        return "<" + protocol.getClass().getName() + (connected ? " on " : " not listening on ") + name + ">";
    }
}
