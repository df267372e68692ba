package io.jpair.tcp;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IcmpError;
import io.jpair.ip.IpLink;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.ip.RawDatagramProtocol;
import io.jpair.reactor.ReactorTime;
import io.jpair.stream.Protocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * jpair's userspace TCP (RFC 9293) for IPv4 and IPv6: validates segments (length, checksum over
 * the pseudo-header, options), demultiplexes them by 4-tuple to {@link TcpConnection}s and by port
 * to {@link TcpListener}s, answers segments for closed ports with a RST (RFC 9293 section
 * 3.10.7.1), opens connections, and sends every segment through the {@link IPProtocol}. Register
 * it for protocol 6 ({@code io.jpair.host.IpHost} does):
 *
 * <pre>{@code
 * TcpProtocol tcp = new TcpProtocol(ip, reactor);
 * ip.addProto(TcpProtocol.PROTOCOL, tcp);
 * tcp.listen(7, peer -> new Echo());
 * tcp.connect(new InetSocketAddress("10.0.0.1", 80), peer -> new Client()).thenAccept(...);
 * }</pre>
 *
 * <p>Batches: within one read batch each connection processes its segments as they come and
 * sends its ACK (and the data its protocol wrote meanwhile) once, at {@link #readComplete()}.
 * Segments are built in one preallocated direct buffer; lookups allocate nothing.
 *
 * <p>Reactor thread only. Never throws out of {@code datagramReceived}: drops are counted per
 * {@link TcpDrop} reason.
 */
public final class TcpProtocol implements RawDatagramProtocol {
    /** The IP protocol number of TCP. */
    public static final int PROTOCOL = 6;
    private static final int EPHEMERAL_LOW = 32768;
    private static final int EPHEMERAL_HIGH = 60999;

    private final IPProtocol ip;
    private final ReactorTime clock;
    private final Random random = new SecureRandom();
    private final TcpHeader header = new TcpHeader();
    private final TcpHeader outHeader = new TcpHeader();
    private final ByteBuffer out = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + 65535);
    private final DropCounter<TcpDrop> drops = new DropCounter<>(TcpDrop.class, TcpProtocol.class);
    private final TcpListener[] listeners = new TcpListener[65536];
    private TcpConnection[] buckets = new TcpConnection[64];
    private int connectionCount;
    private TcpConnection[] batch = new TcpConnection[16];
    private int batchCount;
    private boolean delivering;
    private TcpOptions options = TcpOptions.defaults();
    private Runnable flusher = () -> { };
    private final IsnGenerator isns = new IsnGenerator();
    private final IsnGenerator timestampOffsets = new IsnGenerator();
    private final SynCookies cookies = new SynCookies();
    private TimeWaitTable timeWait = new TimeWaitTable(TimeWaitTable.DEFAULT_CAPACITY,
        TcpOptions.defaults().timeWait().toNanos());
    private final TcpTimer timeWaitTimer;

    long segmentsReceived;
    long segmentsSent;
    long resetsSent;
    long resetsReceived;
    long retransmissions;
    long fastRetransmits;
    long timeouts;
    long windowProbes;
    long challengeAcks;
    long pathMtuUpdates;
    long activeOpens;
    long passiveOpens;
    long synCookiesSent;
    long superPacketsSent;
    long synCookiesAccepted;

    /**
     * A TCP layer sending through {@code ip} with timers on {@code clock}.
     *
     * @param ip the IP layer it is registered on
     * @param clock the reactor's clock (every timer runs on it)
     */
    public TcpProtocol(IPProtocol ip, ReactorTime clock) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeWaitTimer = new TcpTimer(clock, this::expireTimeWait);
    }

    /**
     * Sets the options for connections opened from now on.
     *
     * @param value the options
     * @return this
     */
    public TcpProtocol options(TcpOptions value) {
        this.options = Objects.requireNonNull(value, "options");
        if (timeWait.size() == 0) {
            timeWait = new TimeWaitTable(TimeWaitTable.DEFAULT_CAPACITY, value.timeWait().toNanos());
        }
        return this;
    }

    /**
     * The options new connections get.
     *
     * @return the options
     */
    public TcpOptions options() {
        return options;
    }

    /**
     * Sets what pushes held writes to the device after a send outside a read batch (a timer, a
     * write from another port's callback): the port's {@code flush}.
     *
     * @param flush the action
     * @return this
     */
    public TcpProtocol flushWith(Runnable flush) {
        this.flusher = Objects.requireNonNull(flush, "flush");
        return this;
    }

    /**
     * Listens on a port: every connection to it gets a protocol from {@code factory}.
     *
     * @param port 1..65535
     * @param factory builds a protocol per connection (returning {@code null} resets it)
     * @return the listener
     * @throws IllegalArgumentException if the port is out of range or already listening
     */
    public TcpListener listen(int port, ProtocolFactory<?> factory) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("TCP port must be 1..65535, not " + port);
        }
        Objects.requireNonNull(factory, "factory");
        if (listeners[port] != null) {
            throw new IllegalArgumentException("TCP port " + port + " is already listening");
        }
        TcpListener listener = new TcpListener(this, port, factory);
        listeners[port] = listener;
        return listener;
    }

    void removeListener(TcpListener listener) {
        if (listeners[listener.port()] == listener) {
            listeners[listener.port()] = null;
        }
    }

    /**
     * Opens a connection from our primary address of the destination's family and an ephemeral
     * port (chosen at random, RFC 6056).
     *
     * @param remote the peer's address and port
     * @param factory builds the protocol once the connection is established
     * @param <P> the protocol type
     * @return completes with the connected protocol (after its {@code connectionMade}), or fails
     *     with {@link java.net.ConnectException} (RST, unreachable) or
     *     {@link java.net.SocketTimeoutException} (no answer to the SYN retries)
     * @throws IllegalArgumentException if the port is 0 or we have no address of that family
     */
    public <P extends Protocol> CompletableFuture<P> connect(InetSocketAddress remote, ProtocolFactory<P> factory) {
        Objects.requireNonNull(factory, "factory");
        if (remote.isUnresolved() || remote.getPort() == 0) {
            throw new IllegalArgumentException("cannot connect to " + remote + ": needs a resolved address and a port");
        }
        boolean v6 = remote.getAddress() instanceof Inet6Address;
        int remoteV4 = v6 ? 0 : Ipv4Header.toInt(remote.getAddress());
        long remoteH = v6 ? Ipv6Header.high(remote.getAddress()) : 0;
        long remoteL = v6 ? Ipv6Header.low(remote.getAddress()) : 0;
        int localV4 = v6 ? 0 : ip.primaryIpv4();
        long localH = v6 ? ip.primaryIpv6High() : 0;
        long localL = v6 ? ip.primaryIpv6Low() : 0;
        if (v6 ? localH == 0 && localL == 0 : localV4 == 0) {
            throw new IllegalArgumentException("cannot connect to " + remote + ": the host has no "
                + (v6 ? "IPv6" : "IPv4") + " address");
        }
        int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int start = random.nextInt(span);
        int port = -1;
        for (int i = 0; i < span; i++) {
            int candidate = EPHEMERAL_LOW + (start + i) % span;
            if (listeners[candidate] == null
                    && find(v6, localV4, localH, localL, candidate, remoteV4, remoteH, remoteL,
                        remote.getPort()) == null) {
                port = candidate;
                break;
            }
        }
        CompletableFuture<P> future = new CompletableFuture<>();
        if (port < 0) {
            future.completeExceptionally(new BindException("no free local port to connect to " + remote));
            return future;
        }
        TcpConnection connection = new TcpConnection(this, v6, localV4, localH, localL, port, remoteV4, remoteH,
            remoteL, remote.getPort());
        add(connection);
        activeOpens++;
        connection.openActive(factory, future);
        flush();
        return future;
    }

    /**
     * One TCP segment from the IP layer. Never throws.
     *
     * @param payload the TCP header and data; borrowed
     * @param packet the IP packet
     */
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet) {
        segmentsReceived++;
        delivering = true;
        int start = payload.position();
        int length = payload.limit() - start;
        if (length < TcpHeader.MIN_LENGTH) {
            drops.add(TcpDrop.TRUNCATED);
            return;
        }
        TcpHeader h = header.wrap(payload, start);
        int headerLength = h.headerLength();
        if (headerLength < TcpHeader.MIN_LENGTH) {
            drops.add(TcpDrop.BAD_HEADER_LENGTH);
            return;
        }
        if (headerLength > length) {
            drops.add(TcpDrop.TRUNCATED);
            return;
        }
        if (!ip.segmentOffload().receivedChecksumTrusted()
                && !h.checksumValid(packet.pseudoHeaderSum(PROTOCOL, length), length)) {
            drops.add(TcpDrop.BAD_CHECKSUM);
            return;
        }
        if (!h.parseOptions()) {
            drops.add(TcpDrop.BAD_OPTIONS);
            return;
        }
        int sourcePort = h.sourcePort();
        int destinationPort = h.destinationPort();
        int flags = h.flags();
        if (sourcePort == 0 || destinationPort == 0
                || (flags & (TcpHeader.SYN | TcpHeader.RST)) == (TcpHeader.SYN | TcpHeader.RST)) {
            drops.add(TcpDrop.BAD_SEGMENT);
            return;
        }
        boolean v6 = !packet.isIpv4();
        int localV4 = v6 ? 0 : packet.destinationIpv4();
        int remoteV4 = v6 ? 0 : packet.sourceIpv4();
        long localH = v6 ? packet.destinationHigh() : 0;
        long localL = v6 ? packet.destinationLow() : 0;
        long remoteH = v6 ? packet.sourceHigh() : 0;
        long remoteL = v6 ? packet.sourceLow() : 0;
        int data = start + headerLength;
        int dataLength = length - headerLength;
        TcpConnection connection = find(v6, localV4, localH, localL, destinationPort, remoteV4, remoteH, remoteL,
            sourcePort);
        if (connection != null) {
            connection.segmentArrived(h, payload, data, dataLength);
            return;
        }
        if (v6 ? !ip.isLocalIpv6(localH, localL) : !ip.isLocalIpv4(localV4)) {
            drops.add(TcpDrop.NO_LISTENER);  // broadcast or multicast: never answered
            return;
        }
        if (timeWait.size() > 0 && timeWaitSegment(h, v6, localV4, localH, localL, destinationPort, remoteV4, remoteH,
                remoteL, sourcePort)) {
            return;
        }
        TcpListener listener = listeners[destinationPort];
        if (listener != null && (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.ACK
                && cookieAck(listener, h, payload, data, dataLength, v6, localV4, localH, localL, remoteV4, remoteH,
                    remoteL)) {
            return;
        }
        if (listener != null && (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.SYN) {
            if (listener.backlogFull()) {
                if (options.synCookies()) {
                    sendCookie(h, v6, localV4, localH, localL, destinationPort, remoteV4, remoteH, remoteL,
                        sourcePort);
                } else {
                    drops.add(TcpDrop.BACKLOG_FULL);
                }
                return;
            }
            TcpConnection accepted = new TcpConnection(this, v6, localV4, localH, localL, destinationPort, remoteV4,
                remoteH, remoteL, sourcePort);
            add(accepted);
            listener.halfOpenAdded();
            passiveOpens++;
            accepted.openPassive(listener, h, initialSequence(accepted));
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            drops.add(listener != null ? TcpDrop.LISTENER_REFUSED : TcpDrop.NO_LISTENER);
            return;
        }
        drops.add(listener != null ? TcpDrop.LISTENER_REFUSED : TcpDrop.NO_LISTENER);
        // RFC 9293 section 3.10.7.1: <SEQ=SEG.ACK><CTL=RST>, or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
        if ((flags & TcpHeader.ACK) != 0) {
            reset(v6, localV4, localH, localL, destinationPort, remoteV4, remoteH, remoteL, sourcePort,
                h.acknowledgment(), 0, TcpHeader.RST);
        } else {
            int segLen = dataLength + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
            reset(v6, localV4, localH, localL, destinationPort, remoteV4, remoteH, remoteL, sourcePort, 0,
                h.sequence() + segLen, TcpHeader.RST | TcpHeader.ACK);
        }
    }

    /**
     * An ICMP or ICMPv6 error quoting one of our segments reports the destination unreachable
     * (RFC 1122 section 4.2.3.9, RFC 5927): a connection still in SYN-SENT whose SYN it quotes
     * fails with {@link java.net.ConnectException}. Established connections treat such errors as
     * soft, as Linux does, and are not touched. The ICMP layer calls this with the quoted packet.
     *
     * @param quoted the buffer holding the quoted IP header and at least 8 bytes of TCP
     * @param offset absolute index of the quoted IP header
     * @param length bytes quoted
     * @param reason what the error said, e.g. {@code "port unreachable"}
     * @return true if a connecting connection was failed
     */
    public boolean destinationUnreachable(ByteBuffer quoted, int offset, int length, String reason) {
        if (length < 1) {
            return false;
        }
        int version = (quoted.get(offset) & 0xFF) >>> 4;
        boolean v6 = version == 6;
        int ipLength = v6 ? Ipv6Header.LENGTH : (quoted.get(offset) & 0x0F) * 4;
        if ((version != 4 && !v6) || ipLength < Ipv4Header.MIN_LENGTH || length < ipLength + 8
                || (quoted.get(offset + (v6 ? 6 : 9)) & 0xFF) != PROTOCOL) {
            return false;
        }
        int tcpAt = offset + ipLength;
        int localPort = NetworkOrder.u16(quoted, tcpAt);
        int remotePort = NetworkOrder.u16(quoted, tcpAt + 2);
        int seq = NetworkOrder.i32(quoted, tcpAt + 4);
        TcpConnection c = v6
            ? find(true, 0, NetworkOrder.i64(quoted, offset + 8),
                NetworkOrder.i64(quoted, offset + 16), localPort, 0,
                NetworkOrder.i64(quoted, offset + 24), NetworkOrder.i64(quoted, offset + 32),
                remotePort)
            : find(false, NetworkOrder.i32(quoted, offset + 12), 0, 0, localPort,
                NetworkOrder.i32(quoted, offset + 16), 0, 0, remotePort);
        if (c == null || !c.connectingWith(seq)) {
            return false;
        }
        c.fail(new ConnectException(reason + " from " + c.getPeer()));
        return true;
    }

    /**
     * An ICMP or ICMPv6 error about one of our segments. A Destination Unreachable (any code but
     * "fragmentation needed") or a protocol unreachable quoting the SYN of a connection in
     * SYN-SENT fails it ({@link #destinationUnreachable}); synchronized connections treat them as
     * soft errors (RFC 5927 section 4.1, RFC 1122 section 4.2.3.9, as Linux). A "fragmentation
     * needed" / "packet too big" quoting a sequence number in flight lowers that connection's MSS
     * to the new path MTU less the IP and TCP headers and retransmits what is in flight at the new
     * size (RFC 1191, RFC 8201, RFC 5927 section 5.2); a quote outside the window is ignored.
     * Time Exceeded and other errors are soft and change nothing.
     *
     * @param error the message, a view valid during this call
     */
    @Override
    public void icmpErrorReceived(IcmpError error) {
        int tcpAt = error.quotedTransportOffset();
        if (tcpAt < 0 || error.quotedProtocol() != PROTOCOL) {
            return;
        }
        if (error.isTooBig()) {
            ByteBuffer quoted = error.quotedBuffer();
            int offset = error.quotedOffset();
            int localPort = NetworkOrder.u16(quoted, tcpAt);
            int remotePort = NetworkOrder.u16(quoted, tcpAt + 2);
            TcpConnection c = error.version() == 6
                ? find(true, 0, error.quotedSourceHigh(), error.quotedSourceLow(), localPort, 0,
                    error.quotedDestinationHigh(), error.quotedDestinationLow(), remotePort)
                : find(false, error.quotedSourceIpv4(), 0, 0, localPort, error.quotedDestinationIpv4(), 0, 0,
                    remotePort);
            if (c != null && c.pathMtuLowered(NetworkOrder.i32(quoted, tcpAt + 4), error.mtu())) {
                pathMtuUpdates++;
            }
            return;
        }
        if (error.isUnreachable() || error.isProtocolUnreachable()) {
            destinationUnreachable(error.quotedBuffer(), error.quotedOffset(), error.quotedLength(),
                unreachableReason(error));
        }
    }

    private static String unreachableReason(IcmpError error) {
        if (error.isPortUnreachable()) {
            return "port unreachable";
        }
        if (error.isProtocolUnreachable()) {
            return "protocol unreachable";
        }
        if (error.version() == 4) {
            return switch (error.code()) {
                case 0, 6, 9 -> "network unreachable";
                case 1, 7, 10 -> "host unreachable";
                case 13 -> "communication administratively prohibited";
                default -> "destination unreachable (ICMP code " + error.code() + ")";
            };
        }
        return switch (error.code()) {
            case 0 -> "no route to destination";
            case 1 -> "communication administratively prohibited";
            case 3 -> "address unreachable";
            default -> "destination unreachable (ICMPv6 code " + error.code() + ")";
        };
    }

    /**
     * Ends the read batch: each connection that received segments in it sends what they made due
     * (data and the ACK), once.
     */
    @Override
    public void readComplete() {
        for (int i = 0; i < batchCount; i++) {
            TcpConnection connection = batch[i];
            batch[i] = null;
            try {
                connection.readComplete();
            } catch (RuntimeException e) {
                protocolFailed(connection, e);
            }
        }
        batchCount = 0;
        delivering = false;
    }

    // ---------------------------------------------------------------- services for connections

    boolean delivering() {
        return delivering;
    }

    void inBatch(TcpConnection connection) {
        if (connection.inBatch) {
            return;
        }
        connection.inBatch = true;
        if (batchCount == batch.length) {
            batch = Arrays.copyOf(batch, batchCount * 2);
        }
        batch[batchCount++] = connection;
    }

    ReactorTime clock() {
        return clock;
    }

    Random random() {
        return random;
    }

    IPProtocol ip() {
        return ip;
    }

    ByteBuffer output() {
        return out;
    }

    TcpHeader outHeader() {
        return outHeader;
    }

    void drop(TcpDrop reason) {
        drops.add(reason);
    }

    void flush() {
        flusher.run();
    }

    void send(ByteBuffer buffer, int length) {
        segmentsSent++;
        if (!ip.send(buffer, IpLink.HEADROOM, length)) {
            drops.add(TcpDrop.SEND_FAILED);
        }
    }

    /** Writes a TSO super-packet ({@code out[HEADROOM, HEADROOM + length)}) for the kernel to cut. */
    void sendSuperPacket(ByteBuffer buffer, int length, int mss) {
        segmentsSent++;
        superPacketsSent++;
        buffer.limit(IpLink.HEADROOM + length).position(IpLink.HEADROOM);
        try {
            if (ip.segmentOffload().writeTcpSuperPacket(buffer, mss) == 0) {
                drops.add(TcpDrop.SEND_FAILED);
            }
        } catch (IOException | RuntimeException e) {
            drops.add(TcpDrop.SEND_FAILED);
        }
    }

    void protocolFailed(Object culprit, RuntimeException e) {
        drops.protocolFailed(TcpDrop.PROTOCOL_FAILED, "tcp", culprit.getClass().getName(), e);
    }

    /** RFC 6528: a 4 µs clock plus a keyed hash of the 4-tuple. */
    int initialSequence(TcpConnection c) {
        long now = clock.nanoTime();
        return c.ipv6 ? isns.isnV6(c.localHigh, c.localLow, c.localPort, c.remoteHigh, c.remoteLow, c.remotePort, now)
            : isns.isnV4(c.localIpv4, c.localPort, c.remoteIpv4, c.remotePort, now);
    }

    /**
     * The offset of a connection's TSval clock: a keyed hash of its 4-tuple (as Linux's
     * {@code secure_tcp_ts_off}), so it hides the host's uptime and TIME-WAIT can recompute it.
     */
    int timestampOffset(TcpConnection c) {
        return tsOffset(c.ipv6, c.localIpv4, c.localHigh, c.localLow, c.localPort, c.remoteIpv4, c.remoteHigh,
            c.remoteLow, c.remotePort);
    }

    private int tsOffset(boolean v6, int localV4, long localH, long localL, int localPort, int remoteV4, long remoteH,
            long remoteL, int remotePort) {
        return v6 ? timestampOffsets.isnV6(localH, localL, localPort, remoteH, remoteL, remotePort, 0)
            : timestampOffsets.isnV4(localV4, localPort, remoteV4, remotePort, 0);
    }

    void timeWaitEntered(TcpConnection c, int sndNxt, int rcvNxt, int window, int tsRecent, boolean timestamps) {
        long now = clock.nanoTime();
        if (c.ipv6) {
            timeWait.addV6(c.localHigh, c.localLow, c.localPort, c.remoteHigh, c.remoteLow, c.remotePort, sndNxt,
                rcvNxt, window, tsRecent, timestamps, now);
        } else {
            timeWait.addV4(c.localIpv4, c.localPort, c.remoteIpv4, c.remotePort, sndNxt, rcvNxt, window, tsRecent,
                timestamps, now);
        }
        timeWaitTimer.armIfIdle(Math.max(timeWait.nextExpiryNanos() - now, 0));
    }

    private void expireTimeWait() {
        long now = clock.nanoTime();
        timeWait.expire(now);
        long next = timeWait.nextExpiryNanos();
        if (next != Long.MAX_VALUE) {
            timeWaitTimer.arm(Math.max(next - now, 0));
        }
    }

    /**
     * A segment for a 4-tuple in TIME-WAIT (RFC 9293 section 3.10.7.4): a RST ends it; a SYN with
     * a sequence number beyond RCV.NXT starts a new connection (RFC 6191, as Linux); anything
     * else is answered with an ACK, and a FIN restarts the 2 MSL timer.
     *
     * @return true if handled
     */
    private boolean timeWaitSegment(TcpHeader h, boolean v6, int localV4, long localH, long localL, int localPort,
            int remoteV4, long remoteH, long remoteL, int remotePort) {
        long now = clock.nanoTime();
        int e = v6 ? timeWait.findV6(localH, localL, localPort, remoteH, remoteL, remotePort, now)
            : timeWait.findV4(localV4, localPort, remoteV4, remotePort, now);
        if (e < 0) {
            return false;
        }
        int flags = h.flags();
        if ((flags & TcpHeader.RST) != 0) {
            timeWait.remove(e);
            return true;
        }
        if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN
                && SequenceNumbers.gt(h.sequence(), timeWait.rcvNxt(e))) {
            timeWait.remove(e);
            return false;
        }
        if ((flags & TcpHeader.FIN) != 0) {
            timeWait.restart(e, now);
        }
        int tsVal = timeWait.hasTimestamps(e)
            ? (int) (now / 1_000_000L) + tsOffset(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL,
                remotePort) : 0;
        if (timeWait.hasTimestamps(e) && h.hasTimestamp()
                && SequenceNumbers.ge(h.timestampValue(), timeWait.tsRecent(e))) {
            timeWait.setTsRecent(e, h.timestampValue());
        }
        control(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL, remotePort, timeWait.sndNxt(e),
            timeWait.rcvNxt(e), TcpHeader.ACK, timeWait.window(e), timeWait.hasTimestamps(e), tsVal,
            timeWait.tsRecent(e), 0);
        return true;
    }

    /** The listen backlog is full: a SYN-ACK whose ISN is a SYN cookie, and no state kept. */
    private void sendCookie(TcpHeader syn, boolean v6, int localV4, long localH, long localL, int localPort,
            int remoteV4, long remoteH, long remoteL, int remotePort) {
        long now = clock.nanoTime();
        int peerMss = syn.mss() > 0 ? syn.mss() : (v6 ? TcpHeader.DEFAULT_MSS_IPV6 : TcpHeader.DEFAULT_MSS_IPV4);
        int cookie = v6
            ? cookies.cookieV6(localH, localL, localPort, remoteH, remoteL, remotePort, syn.sequence(), peerMss, now)
            : cookies.cookieV4(localV4, localPort, remoteV4, remotePort, syn.sequence(), peerMss, now);
        synCookiesSent++;
        control(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL, remotePort, cookie,
            syn.sequence() + 1, TcpHeader.SYN | TcpHeader.ACK, Math.min(options.receiveBuffer(), 0xFFFF), false, 0, 0,
            v6 ? options.mssIpv6() : options.mssIpv4());
    }

    /** An ACK to a listener: the end of a SYN-cookie handshake if the cookie checks out. */
    private boolean cookieAck(TcpListener listener, TcpHeader h, ByteBuffer payload, int data, int dataLength,
            boolean v6, int localV4, long localH, long localL, int remoteV4, long remoteH, long remoteL) {
        if (!options.synCookies()) {
            return false;
        }
        int peerIss = h.sequence() - 1;
        int cookie = h.acknowledgment() - 1;
        long now = clock.nanoTime();
        int mss = v6
            ? cookies.mssV6(localH, localL, listener.port(), remoteH, remoteL, h.sourcePort(), peerIss, cookie, now)
            : cookies.mssV4(localV4, listener.port(), remoteV4, h.sourcePort(), peerIss, cookie, now);
        if (mss == 0) {
            return false;
        }
        synCookiesAccepted++;
        TcpConnection connection = new TcpConnection(this, v6, localV4, localH, localL, listener.port(), remoteV4,
            remoteH, remoteL, h.sourcePort());
        add(connection);
        passiveOpens++;
        connection.openFromCookie(listener, h, cookie, peerIss, mss);
        if (connection.state() != TcpState.CLOSED) {
            connection.segmentArrived(h, payload, data, dataLength);
        }
        return true;
    }

    /** A RST in answer to a segment of {@code connection}'s 4-tuple. */
    void sendReset(TcpConnection c, int seq, int ack, boolean withAck) {
        reset(c.ipv6, c.localIpv4, c.localHigh, c.localLow, c.localPort, c.remoteIpv4, c.remoteHigh, c.remoteLow,
            c.remotePort, seq, ack, withAck ? TcpHeader.RST | TcpHeader.ACK : TcpHeader.RST);
    }

    private void reset(boolean v6, int localV4, long localH, long localL, int localPort, int remoteV4, long remoteH,
            long remoteL, int remotePort, int seq, int ack, int flags) {
        resetsSent++;
        control(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL, remotePort, seq, ack, flags, 0,
            false, 0, 0, 0);
    }

    /** A segment without data and without a connection: a RST, a TIME-WAIT ACK, a cookie SYN-ACK. */
    private void control(boolean v6, int localV4, long localH, long localL, int localPort, int remoteV4, long remoteH,
            long remoteL, int remotePort, int seq, int ack, int flags, int window, boolean timestamps, int tsVal,
            int tsEcr, int mss) {
        out.clear();
        int ipLength = v6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH;
        int at = IpLink.HEADROOM + ipLength;
        int o = at + TcpHeader.MIN_LENGTH;
        if (mss > 0) {
            o += TcpHeader.writeMss(out, o, mss);
        }
        if (timestamps) {
            o += TcpHeader.writeTimestamp(out, o, tsVal, tsEcr);
        }
        int tcpLength = o - at;
        outHeader.wrap(out, at).write(localPort, remotePort, seq, ack, tcpLength, flags, window);
        if (v6) {
            outHeader.computeChecksum(InternetChecksum.pseudoHeaderIpv6(localH, localL, remoteH, remoteL, PROTOCOL,
                tcpLength), tcpLength);
            Ipv6Header.write(out, IpLink.HEADROOM, tcpLength, PROTOCOL, IPProtocol.DEFAULT_TTL, localH, localL, remoteH,
                remoteL);
        } else {
            outHeader.computeChecksum(InternetChecksum.pseudoHeaderIpv4(localV4, remoteV4, PROTOCOL, tcpLength),
                tcpLength);
            Ipv4Header.write(out, IpLink.HEADROOM, ipLength + tcpLength, ip.nextIdentification(),
                IPProtocol.DEFAULT_TTL, PROTOCOL, localV4, remoteV4);
        }
        send(out, ipLength + tcpLength);
    }

    // ---------------------------------------------------------------- the connection table

    private static int hash(boolean v6, int localV4, long localH, long localL, int localPort, int remoteV4,
            long remoteH, long remoteL, int remotePort) {
        long h = v6 ? remoteH * 0x9E3779B97F4A7C15L ^ remoteL ^ localL * 31 : ((long) remoteV4 << 32) ^ localV4;
        h ^= ((long) remotePort << 16 | localPort) * 0xBF58476D1CE4E5B9L;
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 29));
    }

    private TcpConnection find(boolean v6, int localV4, long localH, long localL, int localPort, int remoteV4,
            long remoteH, long remoteL, int remotePort) {
        int index = hash(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL, remotePort)
            & (buckets.length - 1);
        for (TcpConnection c = buckets[index]; c != null; c = c.next) {
            if (c.matches(v6, localV4, localH, localL, localPort, remoteV4, remoteH, remoteL, remotePort)) {
                return c;
            }
        }
        return null;
    }

    private int indexOf(TcpConnection c, int length) {
        return hash(c.ipv6, c.localIpv4, c.localHigh, c.localLow, c.localPort, c.remoteIpv4, c.remoteHigh,
            c.remoteLow, c.remotePort) & (length - 1);
    }

    private void add(TcpConnection connection) {
        if (connectionCount >= buckets.length * 3 / 4) {
            TcpConnection[] bigger = new TcpConnection[buckets.length * 2];
            for (TcpConnection head : buckets) {
                for (TcpConnection c = head; c != null; ) {
                    TcpConnection following = c.next;
                    int i = indexOf(c, bigger.length);
                    c.next = bigger[i];
                    bigger[i] = c;
                    c = following;
                }
            }
            buckets = bigger;
        }
        int i = indexOf(connection, buckets.length);
        connection.next = buckets[i];
        buckets[i] = connection;
        connectionCount++;
    }

    void remove(TcpConnection connection) {
        int i = indexOf(connection, buckets.length);
        TcpConnection previous = null;
        for (TcpConnection c = buckets[i]; c != null; previous = c, c = c.next) {
            if (c == connection) {
                if (previous == null) {
                    buckets[i] = c.next;
                } else {
                    previous.next = c.next;
                }
                c.next = null;
                connectionCount--;
                return;
            }
        }
    }

    // ---------------------------------------------------------------- counters

    /**
     * Connections in the table (TIME-WAIT is kept apart: {@link #timeWaitCount()}).
     *
     * @return the count
     */
    public int connectionCount() {
        return connectionCount;
    }

    /**
     * Connections in TIME-WAIT.
     *
     * @return the count
     */
    public int timeWaitCount() {
        return timeWait.size();
    }

    /**
     * TIME-WAIT entries recycled because the table was full.
     *
     * @return the count
     */
    public long timeWaitOverflows() {
        return timeWait.overflows();
    }

    /**
     * TSO super-packets written (each counted once in {@link #segmentsSent()}).
     *
     * @return the count
     */
    public long superPacketsSent() {
        return superPacketsSent;
    }

    /**
     * SYN-ACKs sent with a SYN cookie because a listen backlog was full.
     *
     * @return the count
     */
    public long synCookiesSent() {
        return synCookiesSent;
    }

    /**
     * Connections established from a valid SYN cookie.
     *
     * @return the count
     */
    public long synCookiesAccepted() {
        return synCookiesAccepted;
    }

    /**
     * The drop counters, one per {@link TcpDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<TcpDrop> drops() {
        return drops;
    }

    /**
     * Segments handed to this protocol.
     *
     * @return the count
     */
    public long segmentsReceived() {
        return segmentsReceived;
    }

    /**
     * Segments sent (RSTs included).
     *
     * @return the count
     */
    public long segmentsSent() {
        return segmentsSent;
    }

    /**
     * RSTs sent: to closed ports, for unacceptable handshakes, aborts and timeouts.
     *
     * @return the count
     */
    public long resetsSent() {
        return resetsSent;
    }

    /**
     * Connections reset by their peer.
     *
     * @return the count
     */
    public long resetsReceived() {
        return resetsReceived;
    }

    /**
     * Segments sent again (timeouts, fast retransmit, SACK recovery).
     *
     * @return the count
     */
    public long retransmissions() {
        return retransmissions;
    }

    /**
     * Fast retransmits (three duplicate ACKs).
     *
     * @return the count
     */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /**
     * Retransmission timer expiries (zero-window probes not included).
     *
     * @return the count
     */
    public long timeouts() {
        return timeouts;
    }

    /**
     * Zero-window probes sent.
     *
     * @return the count
     */
    public long windowProbes() {
        return windowProbes;
    }

    /**
     * Challenge ACKs sent (RFC 5961).
     *
     * @return the count
     */
    public long challengeAcks() {
        return challengeAcks;
    }

    /**
     * "Fragmentation needed" / "packet too big" messages that lowered a connection's MSS.
     *
     * @return the count
     */
    public long pathMtuUpdates() {
        return pathMtuUpdates;
    }

    /**
     * Connections we opened.
     *
     * @return the count
     */
    public long activeOpens() {
        return activeOpens;
    }

    /**
     * SYNs accepted by a listener.
     *
     * @return the count
     */
    public long passiveOpens() {
        return passiveOpens;
    }

    /**
     * The listener on a port.
     *
     * @param port 1..65535
     * @return the listener, or {@code null}
     */
    public TcpListener listener(int port) {
        return port > 0 && port <= 0xFFFF ? listeners[port] : null;
    }
}
