package io.jpair.host;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.EthernetProtocol;
import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IPProtocol;
import io.jpair.ip.IcmpProtocol;
import io.jpair.ip.Icmpv6Protocol;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.PathMtuCache;
import io.jpair.ip.Reassembler;
import io.jpair.ip.TokenBucket;
import io.jpair.neighbour.ArpProtocol;
import io.jpair.neighbour.EthernetLink;
import io.jpair.neighbour.NeighbourDiscovery;
import io.jpair.neighbour.NeighbourTable;
import io.jpair.netlink.LinkEvent;
import io.jpair.netlink.LinkListener;
import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.Reactor;
import io.jpair.reactor.ReactorTime;
import io.jpair.stream.Protocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.tcp.TcpOptions;
import io.jpair.tcp.TcpProtocol;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.PacketProtocol;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import io.jpair.udp.RawUDPProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A userspace IP host on a TUN or TAP device: IPv4 and IPv6 with ICMP echo ("ping"), UDP
 * protocols on ports, and on TAP an Ethernet layer with ARP and IPv6 neighbour discovery.
 * Fragments are reassembled ({@link Reassembler}, Linux's limits and timeouts), packets larger
 * than the MTU ({@link #mtu}) or a learnt path MTU ({@link PathMtuCache}) are sent fragmented,
 * and UDP to a closed port or an unknown protocol is answered with the ICMP error Linux sends
 * (limited to 1000 a second, bursts of 50, for both versions together).
 *
 * <pre>{@code
 * EpollReactor reactor = new EpollReactor();
 * IpHost host = IpHost.onTap(MacAddress.parse("02:00:00:77:00:02"))   // or IpHost.onTun()
 *     .address("10.77.1.2/24")
 *     .address("fd00:77::2/64")
 *     .udp(7, new Echo());                                             // a DatagramProtocol
 * TuntapPort port = host.listen("jtap0", reactor);                     // opens and starts the device
 * // configure the kernel side: ip addr add 10.77.1.1/24 dev jtap0; ip link set jtap0 up
 * reactor.run();
 * host.counters();                                                     // drops per layer and reason
 * }</pre>
 *
 * <p>Layers: on TUN, the port feeds {@link IPProtocol} directly and replies are written straight
 * back; on TAP, the port feeds an {@link EthernetProtocol} (filtering on our MAC) carrying
 * {@link ArpProtocol} (0x0806) and the IP protocol (0x0800 and 0x86DD), and replies go out through
 * an {@link EthernetLink} that resolves MACs. Above IP: {@link IcmpProtocol} (1),
 * {@link Icmpv6Protocol} (58) with its {@link NeighbourDiscovery}, {@link RawUDPProtocol} (17).
 * Every layer that keeps time (rate limit, neighbour caches) reads the clock of the reactor of the
 * port the host is attached to.
 *
 * <p><b>Announcements.</b> A TAP host announces its addresses (a gratuitous ARP request per IPv4
 * address, an unsolicited neighbour advertisement with the override flag per IPv6 address)
 * {@value #ANNOUNCEMENTS} times, {@link #ANNOUNCEMENT_INTERVAL} apart on the reactor clock: when
 * its port starts, and again each time its link comes up. A link that is down when the port starts
 * (the usual case: the device was just created) cannot carry them, so give the host the link's
 * events: it is a {@link LinkListener}, and ignores every link but its port's.
 *
 * <pre>{@code
 * TuntapPort port = host.listen("jtap0", reactor);
 * new LinkMonitor(reactor, host).start();              // announces when jtap0 comes up
 * }</pre>
 *
 * <p>This is what Linux does with {@code net.ipv4.conf.*.arp_notify=1} (a gratuitous ARP when the
 * device is brought up) and {@code net.ipv6.conf.*.ndisc_notify=1} (unsolicited neighbour
 * advertisements when it is brought up), repeated as RFC 4861 section 7.2.6 allows: up to
 * {@code MAX_NEIGHBOR_ADVERTISEMENT} (3) unsolicited advertisements, at least {@code RetransTimer}
 * (1 s) apart. A link going down, or the port stopping, cancels a series in progress.
 *
 * <p><b>Hostile traffic.</b> By default the host gives nothing to exploit: echo requests to
 * broadcast and multicast addresses are not answered ({@link #answerBroadcastPings}), packets from
 * martian sources are dropped ({@link #acceptMartians}), echo replies are not rate-limited (as
 * Linux, whose {@code icmp_ratemask} limits errors only: a spoofed flood cannot empty a shared
 * bucket and starve legitimate pingers; {@link #icmpRateLimit} sets one), ARP and neighbour
 * discovery take answers only for addresses they asked about, and every table and queue is
 * bounded: the neighbour caches ({@link NeighbourTable#DEFAULT_CAPACITY} entries, expiring), the
 * packets waiting for resolution ({@link EthernetLink#PENDING_CAPACITY}), and the port writes
 * unbuffered (a full device queue drops and counts the packet). Each inbound packet ends in
 * exactly one counter per layer it reaches: delivered/answered, or a drop reason.
 *
 * <p>Configure (addresses, UDP protocols) on any thread before {@link #listen}; afterwards only on
 * the reactor thread. The per-layer objects are exposed for their counters and for adding
 * protocols by number. No allocation per packet on receive, demux, echo or UDP reply.
 */
public final class IpHost implements LinkListener {
    /** Announcements per series (port started, link came up): RFC 4861's {@code MAX_NEIGHBOR_ADVERTISEMENT}. */
    public static final int ANNOUNCEMENTS = 3;
    /** Time between two announcements of a series: RFC 4861's {@code RetransTimer} default. */
    public static final Duration ANNOUNCEMENT_INTERVAL = Duration.ofSeconds(1);

    /** Read buffer size of ports opened by {@link #listen}: a maximal packet plus Ethernet/VLAN header. */
    public static final int MAX_PACKET_SIZE = 65535 + EthernetHeader.TAGGED_LENGTH;

    private final long mac;
    private final ReactorTime clock = new PortClock();
    private final IPProtocol ip = new IPProtocol();
    private final IcmpProtocol icmp = new IcmpProtocol(ip, clock);
    private final Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, clock);
    private final NeighbourDiscovery neighbourDiscovery;
    private final RawUDPProtocol udp = new RawUDPProtocol(ip);
    private final TcpProtocol tcp = new TcpProtocol(ip, clock);
    private final EthernetProtocol ethernet;
    private final ArpProtocol arp;
    private final EthernetLink link;
    private final Announcements announcements;

    private IpHost(long mac) {
        this.mac = mac;
        this.neighbourDiscovery = new NeighbourDiscovery(ip, icmpv6, mac, clock);
        ip.reassembler(new Reassembler(clock));
        ip.pathMtu(new PathMtuCache(clock));
        TokenBucket errors = TokenBucket.defaults();
        icmp.errorRateLimit(errors);
        icmpv6.errorRateLimit(errors);
        ip.addProto(IPProtocol.ICMP, icmp);
        ip.addProto(IPProtocol.ICMPV6, icmpv6);
        ip.addProto(IPProtocol.UDP, udp);
        ip.addProto(TcpProtocol.PROTOCOL, tcp);
        tcp.flushWith(this::flushPort);
        if (mac == MacAddress.NONE) {
            ethernet = null;
            arp = null;
            link = null;
            announcements = null;
        } else {
            ethernet = new HostEthernet(this);
            ethernet.localAddress(mac);
            arp = new ArpProtocol(ethernet, mac, clock);
            link = new EthernetLink(ethernet, mac, arp, neighbourDiscovery);
            arp.listener(link);
            neighbourDiscovery.listener(link);
            ip.link(link);
            ethernet.addProto(EthernetHeader.TYPE_ARP, arp);
            ethernet.addProto(EthernetHeader.TYPE_IPV4, ip);
            ethernet.addProto(EthernetHeader.TYPE_IPV6, ip);
            announcements = new Announcements(clock, this::announce, ANNOUNCEMENTS, ANNOUNCEMENT_INTERVAL);
        }
    }

    /**
     * A host for a TUN device (IP packets, no link layer).
     *
     * @return the host, without addresses
     */
    public static IpHost onTun() {
        return new IpHost(MacAddress.NONE);
    }

    /**
     * A host for a TAP device (Ethernet frames) with its own MAC address. Pick one that differs
     * from the kernel's side of the device, e.g. {@link MacAddress#randomLocal()}.
     *
     * @param mac our MAC
     * @return the host, without addresses
     */
    public static IpHost onTap(MacAddress mac) {
        return new IpHost(Objects.requireNonNull(mac, "mac").value());
    }

    /**
     * Adds an address with its prefix, e.g. {@code "10.77.0.2/24"} or {@code "fd00:77::2/64"}
     * (without a prefix: /32 or /128).
     *
     * @param cidr an IP literal, optionally with {@code /prefix}
     * @return this
     * @throws IllegalArgumentException if it is not an IP literal with a valid prefix
     */
    public IpHost address(String cidr) {
        int slash = cidr.indexOf('/');
        String literal = slash < 0 ? cidr : cidr.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address: '" + cidr + "'", e);
        }
        int prefix;
        if (slash < 0) {
            prefix = address instanceof Inet4Address ? 32 : 128;
        } else {
            try {
                prefix = Integer.parseInt(cidr.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length in '" + cidr + "'", e);
            }
        }
        return address(address, prefix);
    }

    /**
     * Adds an address with its prefix.
     *
     * @param address IPv4 or IPv6
     * @param prefixLength 0..32 or 0..128
     * @return this
     */
    public IpHost address(InetAddress address, int prefixLength) {
        ip.addAddress(address, prefixLength);
        if (arp != null && address instanceof Inet4Address) {
            arp.addAddress(Ipv4Header.toInt(address), prefixLength);
        }
        return this;
    }

    /**
     * Adds a UDP protocol on a local port (its transport writes from that port).
     *
     * @param port 0..65535
     * @param protocol the protocol
     * @return this
     */
    public IpHost udp(int port, DatagramProtocol protocol) {
        udp.addProto(port, protocol);
        return this;
    }

    /**
     * Listens for TCP connections on a local port (jpair's userspace TCP): each connection gets a
     * protocol from {@code factory}. Segments to ports nobody listens on are answered with a RST.
     *
     * <pre>{@code
     * IpHost.onTun().address("10.77.0.2/24").listenTcp(7, peer -> new Echo()).listen("jtun0", reactor);
     * }</pre>
     *
     * @param port 1..65535
     * @param factory builds a protocol per connection
     * @return this
     * @throws IllegalArgumentException if the port is out of range or already listening
     */
    public IpHost listenTcp(int port, ProtocolFactory<?> factory) {
        tcp.listen(port, factory);
        return this;
    }

    /**
     * Opens a TCP connection from this host (after {@link #listen}, on the reactor thread).
     *
     * @param remote the peer's address and port
     * @param factory builds the protocol once connected
     * @param <P> the protocol type
     * @return completes with the connected protocol, or fails with
     *     {@link java.net.ConnectException} (reset, unreachable) or
     *     {@link java.net.SocketTimeoutException} (no answer to the SYN retries)
     */
    public <P extends Protocol> CompletableFuture<P> connectTcp(InetSocketAddress remote, ProtocolFactory<P> factory) {
        return tcp.connect(remote, factory);
    }

    /**
     * Sets how TCP connections opened from now on behave (buffers, Nagle, keep-alive, backlog,
     * MTU).
     *
     * @param options the options
     * @return this
     */
    public IpHost tcpOptions(TcpOptions options) {
        tcp.options(options);
        return this;
    }

    /**
     * Whether echo requests to broadcast (IPv4 limited or subnet broadcast, 224.0.0.1) and
     * multicast (IPv6 all-nodes, solicited-node) destinations are answered, from our primary
     * address. Off by default, as Linux ({@code icmp_echo_ignore_broadcasts}): one spoofed request
     * would make every such host reply to the victim.
     *
     * @param answer true to answer them
     * @return this
     */
    public IpHost answerBroadcastPings(boolean answer) {
        icmp.answerBroadcast(answer);
        icmpv6.answerMulticast(answer);
        return this;
    }

    /**
     * Whether packets from martian sources are delivered (off by default); see
     * {@link IPProtocol#acceptMartians(boolean)}.
     *
     * @param accept true to deliver them
     * @return this
     */
    public IpHost acceptMartians(boolean accept) {
        ip.acceptMartians(accept);
        return this;
    }

    /**
     * Limits echo replies (ICMPv4 and ICMPv6 together) with one token bucket on the reactor's
     * clock; refused requests are counted as {@code icmp.drop.RATE_LIMITED} or
     * {@code icmpv6.drop.RATE_LIMITED}. Off by default, as in Linux (e.g. {@code 1000, 50}: Linux's
     * {@code icmp_msgs_per_sec} and {@code icmp_msgs_burst}, which it applies to errors only).
     *
     * @param perSecond sustained replies per second; 0 for no limit
     * @param burst replies at once, at least 1
     * @return this
     */
    public IpHost icmpRateLimit(int perSecond, int burst) {
        TokenBucket bucket = new TokenBucket(perSecond, burst);
        icmp.rateLimit(bucket);
        icmpv6.rateLimit(bucket);
        return this;
    }

    /**
     * Sets the link MTU ({@value IPProtocol#DEFAULT_MTU} by default, the default of TUN and TAP
     * devices): packets longer than it, or than the path MTU an ICMP message reported, are sent
     * fragmented. Set it to the device's MTU when that differs.
     *
     * @param bytes 68..65535
     * @return this
     */
    public IpHost mtu(int bytes) {
        ip.mtu(bytes);
        return this;
    }

    /**
     * The protocol to attach to a port: the Ethernet layer on TAP, the IP layer on TUN.
     *
     * @return a {@code FrameProtocol} (TAP) or {@code RawPacketProtocol} (TUN)
     */
    public PacketProtocol protocol() {
        return ethernet != null ? ethernet : ip;
    }

    /**
     * Opens the device and starts the host on it (reads {@value #MAX_PACKET_SIZE}-byte packets).
     *
     * @param device a device name or pattern, e.g. {@code "jtap0"} or {@code "tun%d"}
     * @param reactor the reactor that will drive the port
     * @return the started port (its {@code interfaceName()} is the device's name)
     * @throws CannotListenException if the device cannot be opened (needs CAP_NET_ADMIN)
     */
    public TuntapPort listen(String device, Reactor reactor) throws CannotListenException {
        return listen(device, reactor, null);
    }

    /**
     * Opens the device through a given I/O system (e.g. {@code MemoryIOSystem} in tests).
     *
     * @param device a device name or pattern
     * @param reactor the reactor
     * @param system the I/O system, or {@code null} for the real one
     * @return the started port
     * @throws CannotListenException if the device cannot be opened
     */
    public TuntapPort listen(String device, Reactor reactor, IOSystem system) throws CannotListenException {
        return listen(device, reactor, TunnelOptions.defaults(), OffloadOptions.disabled(), system);
    }

    /**
     * Opens the device with given device and offload options and starts the host on it. The
     * read size is raised to {@value #MAX_PACKET_SIZE}, whatever {@code options} say, so no packet
     * the stack can answer is cut.
     *
     * @param device a device name or pattern
     * @param reactor the reactor that will drive the port
     * @param options how to open the device (persist, owner, attach only, ...)
     * @param offload the virtio-net offload switches (TUN only; {@link OffloadOptions#disabled()}
     *     for plain packets)
     * @param system the I/O system, or {@code null} for the real one
     * @return the started port
     * @throws CannotListenException if the device cannot be opened
     * @throws IllegalArgumentException for offload on a TAP host
     */
    public TuntapPort listen(String device, Reactor reactor, TunnelOptions options, OffloadOptions offload,
            IOSystem system) throws CannotListenException {
        TuntapPort port = new TuntapPort(device, protocol(), options.withMaxPacketSize(MAX_PACKET_SIZE), offload,
            reactor, system);
        port.startListening();
        return port;
    }

    /**
     * Whether this host runs on TAP.
     *
     * @return true for TAP, false for TUN
     */
    public boolean isTap() {
        return ethernet != null;
    }

    /**
     * Our MAC.
     *
     * @return the address, or {@code null} on TUN
     */
    public MacAddress mac() {
        return mac == MacAddress.NONE ? null : MacAddress.of(mac);
    }

    /**
     * The IP layer (counters, {@code addProto} for other protocol numbers).
     *
     * @return the IP protocol
     */
    public IPProtocol ip() {
        return ip;
    }

    /**
     * The UDP layer.
     *
     * @return the UDP demultiplexer
     */
    public RawUDPProtocol udp() {
        return udp;
    }

    /**
     * The TCP layer.
     *
     * @return the TCP protocol
     */
    public TcpProtocol tcp() {
        return tcp;
    }

    /**
     * The ICMPv4 echo responder.
     *
     * @return the protocol
     */
    public IcmpProtocol icmp() {
        return icmp;
    }

    /**
     * ICMPv6 with neighbour discovery.
     *
     * @return the protocol
     */
    public Icmpv6Protocol icmpv6() {
        return icmpv6;
    }

    /**
     * IPv6 neighbour discovery (on TUN it has no MAC and drops every message as
     * {@code NO_LINK_LAYER}).
     *
     * @return the protocol
     */
    public NeighbourDiscovery neighbourDiscovery() {
        return neighbourDiscovery;
    }

    /**
     * The Ethernet layer.
     *
     * @return the protocol, or {@code null} on TUN
     */
    public EthernetProtocol ethernet() {
        return ethernet;
    }

    /**
     * ARP.
     *
     * @return the protocol, or {@code null} on TUN
     */
    public ArpProtocol arp() {
        return arp;
    }

    /**
     * The outbound Ethernet link.
     *
     * @return the link, or {@code null} on TUN
     */
    public EthernetLink link() {
        return link;
    }

    /**
     * Every counter of every layer, named {@code layer.counter} (e.g. {@code ip.received},
     * {@code ip.drop.BAD_CHECKSUM}, {@code udp.drop.NO_LISTENER}): a snapshot for display
     * (allocates). Read it on the reactor thread for exact values.
     *
     * @return names to values, in a stable order
     */
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        if (ethernet != null) {
            c.put("ethernet.received", ethernet.framesReceived());
            c.put("ethernet.delivered", ethernet.framesDelivered());
            ethernet.drops().toMap().forEach((reason, n) -> c.put("ethernet.drop." + reason, n));
            c.put("arp.received", arp.packetsReceived());
            c.put("arp.requestsAnswered", arp.requestsAnswered());
            c.put("arp.requestsSent", arp.requestsSent());
            c.put("arp.repliesReceived", arp.repliesReceived());
            c.put("arp.announcementsAccepted", arp.announcementsAccepted());
            c.put("arp.conflicts", arp.conflicts());
            c.put("arp.probesSent", arp.probesSent());
            c.put("arp.revalidations", arp.table().revalidations());
            c.put("arp.requestsSuppressed", arp.table().requestsSuppressed());
            c.put("arp.admissionsRefused", arp.table().admissionsRefused());
            c.put("arp.cacheEntries", (long) arp.table().size());
            arp.drops().toMap().forEach((reason, n) -> c.put("arp.drop." + reason, n));
            c.put("link.framesSent", link.framesSent());
            c.put("link.queued", link.queued());
            c.put("link.pending", (long) link.pendingCount());
            c.put("link.pendingDropped", link.pendingDropped());
            c.put("link.writeFailures", link.writeFailures());
        }
        c.put("ip.received", ip.packetsReceived());
        c.put("ip.delivered", ip.packetsDelivered());
        c.put("ip.sent", ip.packetsSent());
        ip.drops().toMap().forEach((reason, n) -> c.put("ip.drop." + reason, n));
        c.put("ip.fragmentsSent", ip.fragmentsSent());
        Reassembler reassembler = ip.reassembler();
        c.put("frag.received", reassembler.fragmentsReceived());
        c.put("frag.reassembled", reassembler.datagramsReassembled());
        c.put("frag.inProgress", (long) reassembler.inProgress());
        reassembler.drops().toMap().forEach((reason, n) -> c.put("frag.drop." + reason, n));
        c.put("pmtu.entries", (long) ip.pathMtu().size());
        c.put("pmtu.lowered", ip.pathMtu().lowered());
        c.put("icmp.errorsSent", icmp.errorsSent());
        c.put("icmp.errorsSuppressed", icmp.errorsSuppressed());
        c.put("icmp.errorsReceived", icmp.errorsReceived());
        c.put("icmpv6.errorsSent", icmpv6.errorsSent());
        c.put("icmpv6.errorsSuppressed", icmpv6.errorsSuppressed());
        c.put("icmpv6.errorsReceived", icmpv6.errorsReceived());
        c.put("udp.portUnreachablesSent", udp.portUnreachablesSent());
        c.put("icmp.received", icmp.messagesReceived());
        c.put("icmp.echoRequests", icmp.echoRequests());
        c.put("icmp.echoReplies", icmp.echoReplies());
        icmp.drops().toMap().forEach((reason, n) -> c.put("icmp.drop." + reason, n));
        c.put("icmpv6.received", icmpv6.messagesReceived());
        c.put("icmpv6.echoRequests", icmpv6.echoRequests());
        c.put("icmpv6.echoReplies", icmpv6.echoReplies());
        c.put("icmpv6.advertisementsSent", neighbourDiscovery.advertisementsSent());
        c.put("icmpv6.solicitationsSent", neighbourDiscovery.solicitationsSent());
        c.put("icmpv6.solicitationsAnswered", neighbourDiscovery.solicitationsAnswered());
        c.put("icmpv6.advertisementsAccepted", neighbourDiscovery.advertisementsAccepted());
        c.put("icmpv6.conflicts", neighbourDiscovery.conflicts());
        c.put("icmpv6.probesSent", neighbourDiscovery.probesSent());
        c.put("icmpv6.revalidations", neighbourDiscovery.table().revalidations());
        c.put("icmpv6.requestsSuppressed", neighbourDiscovery.table().requestsSuppressed());
        c.put("icmpv6.admissionsRefused", neighbourDiscovery.table().admissionsRefused());
        c.put("icmpv6.cacheEntries", (long) neighbourDiscovery.table().size());
        icmpv6.drops().toMap().forEach((reason, n) -> c.put("icmpv6.drop." + reason, n));
        c.put("udp.received", udp.datagramsReceived());
        c.put("udp.delivered", udp.datagramsDelivered());
        c.put("udp.sent", udp.datagramsSent());
        udp.drops().toMap().forEach((reason, n) -> c.put("udp.drop." + reason, n));
        c.put("tcp.received", tcp.segmentsReceived());
        c.put("tcp.sent", tcp.segmentsSent());
        c.put("tcp.superPacketsSent", tcp.superPacketsSent());
        c.put("tcp.connections", (long) tcp.connectionCount());
        c.put("tcp.timeWait", (long) tcp.timeWaitCount());
        c.put("tcp.activeOpens", tcp.activeOpens());
        c.put("tcp.passiveOpens", tcp.passiveOpens());
        c.put("tcp.resetsSent", tcp.resetsSent());
        c.put("tcp.resetsReceived", tcp.resetsReceived());
        c.put("tcp.retransmissions", tcp.retransmissions());
        c.put("tcp.fastRetransmits", tcp.fastRetransmits());
        c.put("tcp.timeouts", tcp.timeouts());
        c.put("tcp.windowProbes", tcp.windowProbes());
        c.put("tcp.challengeAcks", tcp.challengeAcks());
        c.put("tcp.pathMtuUpdates", tcp.pathMtuUpdates());
        tcp.drops().toMap().forEach((reason, n) -> c.put("tcp.drop." + reason, n));
        return c;
    }

    /**
     * A link changed: when this host's port's link comes up, the host announces its addresses
     * ({@value #ANNOUNCEMENTS} times, {@link #ANNOUNCEMENT_INTERVAL} apart); when it goes down, a
     * series in progress stops. Events for other links, events before {@link #listen} and every
     * event on a TUN host (no link layer, nothing to announce) are ignored.
     *
     * <p>Reactor thread only (where {@link io.jpair.netlink.LinkMonitor} calls it).
     *
     * @param event what changed
     */
    @Override
    public void linkChanged(LinkEvent event) {
        if (ethernet == null || !(ethernet.transport() instanceof TuntapPort port)
                || !port.interfaceName().equals(event.name())) {
            return;
        }
        switch (event.type()) {
            case UP -> announcements.start();
            case DOWN, REMOVED -> announcements.stop();
            default -> {
            }
        }
    }

    private void flushPort() {
        PacketTransport port = ethernet != null ? ethernet.transport() : ip.transport();
        if (port != null) {
            port.flush();
        }
    }

    private void started() {
        announcements.start();
    }

    private void stopped() {
        announcements.stop();
    }

    private void announce() {
        arp.announce();
        neighbourDiscovery.announce();
    }

    /**
     * The clock of every layer that keeps time: the reactor of the port the host is attached to,
     * looked up on each call, so it follows the host to whatever port and reactor start it.
     */
    private final class PortClock implements ReactorTime {
        private ReactorTime reactor() {
            PacketTransport port = ethernet != null ? ethernet.transport() : ip.transport();
            if (port == null) {
                throw new IllegalStateException("the host is not attached to a port (IpHost.listen): no clock");
            }
            return port.reactor();
        }

        @Override
        public long nanoTime() {
            return reactor().nanoTime();
        }

        @Override
        public DelayedCall callLater(Duration delay, Runnable task) {
            return reactor().callLater(delay, task);
        }
    }

    /** The TAP host's Ethernet layer: starts the host when the port starts. */
    private static final class HostEthernet extends EthernetProtocol {
        private final IpHost host;

        HostEthernet(IpHost host) {
            this.host = host;
        }

        @Override
        protected void startProtocol() {
            host.started();
        }

        @Override
        protected void stopProtocol() {
            host.stopped();
        }
    }
}
