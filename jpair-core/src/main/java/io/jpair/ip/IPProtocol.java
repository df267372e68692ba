package io.jpair.ip;

import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.transport.SegmentOffload;
import io.jpair.wire.DemuxTable;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import io.jpair.wire.ReadBatch;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates IPv4 and IPv6 packets and demultiplexes them by protocol number to
 * {@link RawDatagramProtocol}s (Twisted's {@code twisted.pair.ip.IPProtocol}), and sends packets
 * built by those protocols through an {@link IpLink}.
 *
 * <pre>{@code
 * IPProtocol ip = new IPProtocol();
 * ip.addAddress(InetAddress.ofLiteral("10.77.0.2"), 24);
 * ip.addProto(1, new IcmpProtocol(ip, reactor));        // ping replies
 * new TuntapPort("tun0", ip, reactor).startListening(); // directly on TUN, or under EthernetProtocol on TAP
 * }</pre>
 *
 * <p><b>Receiving.</b> The version nibble selects IPv4 or IPv6 (and must match the EtherType when
 * there is one). IPv4: the IHL is honoured (options skipped), the total length bounds the payload
 * (link padding ignored), the header checksum is verified, fragments go to the {@link #reassembler(Reassembler)
 * reassembler} (dropped without one) and the reassembled datagram is received again like an
 * unfragmented packet. IPv6: the payload length bounds the payload, hop-by-hop, routing,
 * destination-options and authentication headers are skipped to the upper protocol, fragments
 * (except atomic ones) are reassembled the same way. An unknown protocol number is answered with
 * an ICMP protocol unreachable (IPv6: a parameter problem pointing at the next header): which
 * numbers are known is up to the registered protocols. Packets from martian sources (see {@link #acceptMartians(boolean)}) are dropped.
 * With local addresses set, packets for other destinations are dropped; without any,
 * every packet is accepted (Twisted's behaviour). Each drop is counted per {@link IpDrop} reason
 * (a fragment taken by the reassembler is counted there);
 * nothing throws out of {@code datagramReceived}. Protocols for the number are called in
 * registration order with the payload and the reused {@link IpPacket} context.
 *
 * <p><b>Sending.</b> {@link #send} hands a complete packet to the {@link #link(IpLink) link}; with
 * no link it is written straight to the port this protocol is attached to (TUN).
 *
 * <p>Unlike Twisted: version and IHL are read from the right nibbles; protocol numbers above 255
 * are rejected (Twisted checked 32 bits); options, total length, checksum and the version are
 * honoured; {@link #removeProto} exists.
 *
 * <p>Reactor thread only. Allocates nothing per packet.
 */
public class IPProtocol extends AbstractPacketProtocol implements RawPacketProtocol {
    /** The link MTU until {@link #mtu(int)} says otherwise: Ethernet's, and a TUN device's default. */
    public static final int DEFAULT_MTU = 1500;
    /** Protocol number of TCP. */
    public static final int TCP = 6;
    /** Default TTL / hop limit of packets this stack sends. */
    public static final int DEFAULT_TTL = 64;
    /** Protocol number of ICMP. */
    public static final int ICMP = 1;
    /** Protocol number of UDP. */
    public static final int UDP = 17;
    /** Protocol number of ICMPv6. */
    public static final int ICMPV6 = 58;
    /** The EtherType of IPv4, as a link layer hands it to {@link #datagramReceived}. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** The EtherType of IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;

    private static final Logger LOG = LoggerFactory.getLogger(IPProtocol.class);
    private static final int MAX_EXTENSION_HEADERS = 8;

    private AbstractIcmpProtocol icmpv4Errors;
    private AbstractIcmpProtocol icmpv6Errors;
    // Where the last refused option or routing header was, and whether RFC 8200 wants an error.
    private int problemPointer;
    private int problemCode;
    private boolean problemReported;
    private boolean problemToGroups;

    private static final int IPV4_OPTION_END = 0;
    private static final int IPV4_OPTION_NOP = 1;
    private static final int IPV4_OPTION_LSRR = 131;
    private static final int IPV4_OPTION_SSRR = 137;
    private static final int IPV6_OPTION_PAD1 = 0;
    private static final int IPV6_OPTION_PADN = 1;
    private static final int IPV6_OPTION_ROUTER_ALERT = 5;

    private final DemuxTable<RawDatagramProtocol> protocols = new DemuxTable<>(8, new RawDatagramProtocol[0]);
    private final ReadBatch<RawDatagramProtocol> batch = new ReadBatch<>(new RawDatagramProtocol[0]);
    private final Consumer<RawDatagramProtocol> completeOne = this::completeOne;
    private final IpPacket context = new IpPacket();
    private final DropCounter<IpDrop> drops = new DropCounter<>(IpDrop.class, IPProtocol.class);
    private int[] ipv4 = new int[0];
    private int[] ipv4Broadcast = new int[0];
    private long[] ipv6 = new long[0];
    private IpLink link;
    private boolean acceptMartians;
    private int identification;
    private int ipv6Identification = new SecureRandom().nextInt();
    private Reassembler reassembler;
    private PathMtuCache pathMtu;
    private int mtu = DEFAULT_MTU;
    private ByteBuffer fragmentOut;
    // Whether the packet being received is a reassembled one, and where its unknown next header was named.
    private boolean reassembled;
    private int nextHeaderPointer;
    private long fragmentsSent;
    private long packetsReceived;
    private long packetsDelivered;
    private long packetsSent;

    /** A demultiplexer with no protocols and no local addresses (accepts every destination). */
    public IPProtocol() {
    }

    /**
     * Registers {@code proto} for protocol number {@code protocolNumber}; several protocols per
     * number are called in the order added.
     *
     * @param protocolNumber 0..255
     * @param proto the protocol
     * @throws IllegalArgumentException if the number is out of range
     * @throws NullPointerException if {@code proto} is null
     */
    public void addProto(int protocolNumber, RawDatagramProtocol proto) {
        protocols.add(protocolNumber, proto);
    }

    /**
     * Unregisters one registration of {@code proto}.
     *
     * @param protocolNumber the number it was added for
     * @param proto the protocol
     * @return true if it was registered
     */
    public boolean removeProto(int protocolNumber, RawDatagramProtocol proto) {
        return protocols.remove(protocolNumber, proto);
    }

    /**
     * Adds a local address; from then on only packets for local addresses (and broadcast, the
     * subnet broadcast, all-nodes and solicited-node multicast) are accepted.
     *
     * @param address an IPv4 or IPv6 address
     * @param prefixLength the on-link prefix (0..32 or 0..128), for the IPv4 subnet broadcast
     * @return this
     */
    public IPProtocol addAddress(InetAddress address, int prefixLength) {
        if (address instanceof Inet4Address) {
            if (prefixLength < 0 || prefixLength > 32) {
                throw new IllegalArgumentException("IPv4 prefix length must be 0..32, not " + prefixLength);
            }
            int a = Ipv4Header.toInt(address);
            ipv4 = Arrays.copyOf(ipv4, ipv4.length + 1);
            ipv4[ipv4.length - 1] = a;
            int hostMask = prefixLength >= 31 ? 0 : (int) (0xFFFF_FFFFL >>> prefixLength);
            ipv4Broadcast = Arrays.copyOf(ipv4Broadcast, ipv4Broadcast.length + 1);
            ipv4Broadcast[ipv4Broadcast.length - 1] = hostMask == 0 ? Ipv4Header.BROADCAST : a | hostMask;
        } else if (address instanceof Inet6Address) {
            if (prefixLength < 0 || prefixLength > 128) {
                throw new IllegalArgumentException("IPv6 prefix length must be 0..128, not " + prefixLength);
            }
            ipv6 = Arrays.copyOf(ipv6, ipv6.length + 2);
            ipv6[ipv6.length - 2] = Ipv6Header.high(address);
            ipv6[ipv6.length - 1] = Ipv6Header.low(address);
        } else {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        return this;
    }

    /**
     * Whether an IPv4 address is one of ours.
     *
     * @param address as an int
     * @return true if local
     */
    public boolean isLocalIpv4(int address) {
        for (int a : ipv4) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an IPv6 address is one of ours.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return true if local
     */
    public boolean isLocalIpv6(long high, long low) {
        for (int i = 0; i < ipv6.length; i += 2) {
            if (ipv6[i] == high && ipv6[i + 1] == low) {
                return true;
            }
        }
        return false;
    }

    /**
     * Our IPv4 addresses.
     *
     * @return a copy, as ints
     */
    public int[] ipv4Addresses() {
        return ipv4.clone();
    }

    /**
     * Our IPv6 addresses, as (high, low) pairs.
     *
     * @return a copy: element 2i is the high half of address i
     */
    public long[] ipv6Addresses() {
        return ipv6.clone();
    }

    /**
     * The first IPv4 address, the source of packets we originate.
     *
     * @return as an int, or 0 (0.0.0.0) when there is none
     */
    public int primaryIpv4() {
        return ipv4.length > 0 ? ipv4[0] : 0;
    }

    /**
     * The first IPv6 address, high half.
     *
     * @return the bits, or 0 when there is none
     */
    public long primaryIpv6High() {
        return ipv6.length > 0 ? ipv6[0] : 0;
    }

    /**
     * The first IPv6 address, low half.
     *
     * @return the bits, or 0 when there is none
     */
    public long primaryIpv6Low() {
        return ipv6.length > 0 ? ipv6[1] : 0;
    }

    /**
     * Chooses the source address of a reply to {@code received}: the address it was sent to when
     * that is one of ours, else our primary address of its IP version (unspecified, see
     * {@link SourceAddress#isSpecified()}, when we have none). Every reply the stack sends (echo
     * replies, {@code DatagramTransport.reply}) goes through here. Allocates nothing.
     *
     * @param received the packet being answered
     * @param source filled with the choice
     * @return true if the reply goes from the address the packet was sent to; false if from the
     *     primary address (the packet went to a broadcast or multicast address, or to any address
     *     while we have none), which a sender may refuse to do
     */
    public boolean selectSource(IpPacket received, SourceAddress source) {
        if (received.isIpv4()) {
            int destination = received.destinationIpv4();
            boolean local = isLocalIpv4(destination);
            source.setIpv4(local ? destination : primaryIpv4());
            return local;
        }
        long high = received.destinationHigh();
        long low = received.destinationLow();
        boolean local = isLocalIpv6(high, low);
        if (local) {
            source.setIpv6(high, low);
        } else {
            source.setIpv6(primaryIpv6High(), primaryIpv6Low());
        }
        return local;
    }

    /**
     * Sets where {@link #send} goes.
     *
     * @param link the link, or {@code null} for the attached port (TUN)
     * @return this
     */
    public IPProtocol link(IpLink link) {
        this.link = link;
        return this;
    }

    /**
     * Sets the reassembler of fragments; without one (the default of a bare {@code IPProtocol};
     * {@code IpHost} sets one) fragments are dropped as {@link IpDrop#FRAGMENT}.
     *
     * @param reassembler the reassembler, serving only this protocol, or {@code null}
     * @return this
     */
    public IPProtocol reassembler(Reassembler reassembler) {
        if (reassembler != null) {
            reassembler.owner(this);
        }
        this.reassembler = reassembler;
        return this;
    }

    /**
     * The reassembler.
     *
     * @return it, or {@code null} when fragments are dropped
     */
    public Reassembler reassembler() {
        return reassembler;
    }

    /**
     * Sets where path MTUs learnt from ICMP are kept; {@link #send} fragments to them.
     *
     * @param cache the cache, or {@code null} to use the link MTU alone
     * @return this
     */
    public IPProtocol pathMtu(PathMtuCache cache) {
        this.pathMtu = cache;
        return this;
    }

    /**
     * The path MTU cache.
     *
     * @return it, or {@code null}
     */
    public PathMtuCache pathMtu() {
        return pathMtu;
    }

    /**
     * Sets the link MTU ({@value #DEFAULT_MTU} by default): the largest packet {@link #send}
     * hands to the link unfragmented. Set it to the device's MTU.
     *
     * @param bytes 68..65535 (IPv6 packets are never cut below 1280)
     * @return this
     */
    public IPProtocol mtu(int bytes) {
        if (bytes < 68 || bytes > 65535) {
            throw new IllegalArgumentException("MTU must be 68..65535, not " + bytes);
        }
        this.mtu = bytes;
        return this;
    }

    /**
     * The link MTU.
     *
     * @return bytes
     */
    public int mtu() {
        return mtu;
    }

    /**
     * Fragments {@link #send} cut packets into.
     *
     * @return the count
     */
    public long fragmentsSent() {
        return fragmentsSent;
    }

    /**
     * The next IPv4 identification value for a packet we originate.
     *
     * @return 0..65535
     */
    public int nextIdentification() {
        identification = (identification + 1) & 0xFFFF;
        return identification;
    }

    /**
     * A packet from a TUN port or an Ethernet demultiplexer. Never throws: malformed packets are
     * dropped and counted.
     *
     * @param packet the IP packet between position and limit; borrowed for the call
     * @param destination the frame's destination MAC, or {@code NO_MAC}
     * @param source the frame's source MAC, or {@code NO_MAC}
     * @param etherType 0x0800 or 0x86DD, or 0 to go by the version nibble alone
     */
    @Override
    public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
        packetsReceived++;
        int start = packet.position();
        int end = packet.limit();
        if (end - start < 1) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        context.link(destination, source);
        SegmentOffload offload = link == null && transport != null ? transport.segmentOffload() : SegmentOffload.NONE;
        context.offload(offload.receivedSegmentSize(), offload.receivedChecksumTrusted());
        int version = NetworkOrder.u8(packet, start) >>> 4;
        if (version == 4) {
            if (etherType != 0 && etherType != ETHERTYPE_IPV4) {
                drops.add(IpDrop.VERSION_MISMATCH);
                return;
            }
            receiveIpv4(packet, start, end);
        } else if (version == 6) {
            if (etherType != 0 && etherType != ETHERTYPE_IPV6) {
                drops.add(IpDrop.VERSION_MISMATCH);
                return;
            }
            receiveIpv6(packet, start, end);
        } else {
            drops.add(IpDrop.BAD_VERSION);
        }
    }

    private void receiveIpv4(ByteBuffer packet, int start, int end) {
        int available = end - start;
        if (available < Ipv4Header.MIN_LENGTH) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        Ipv4Header header = context.ipv4View().wrap(packet, start);
        int headerLength = header.headerLength();
        if (headerLength < Ipv4Header.MIN_LENGTH) {
            drops.add(IpDrop.BAD_HEADER_LENGTH);
            return;
        }
        if (headerLength > available) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        int total = header.totalLength();
        if (total < headerLength) {
            drops.add(IpDrop.BAD_TOTAL_LENGTH);
            return;
        }
        if (total > available) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        if (!header.checksumValid()) {
            drops.add(IpDrop.BAD_CHECKSUM);
            return;
        }
        if (headerLength > Ipv4Header.MIN_LENGTH) {
            IpDrop bad = checkIpv4Options(packet, start + Ipv4Header.MIN_LENGTH, start + headerLength);
            if (bad != null) {
                drops.add(bad);
                reportProblem(icmpv4Errors, packet, start, start + total);
                return;
            }
        }
        if (!acceptMartians && martianIpv4(header.source(), header.destination())) {
            drops.add(IpDrop.MARTIAN_SOURCE);
            return;
        }
        if (!acceptsIpv4(header.destination())) {
            drops.add(IpDrop.NOT_FOR_US);
            return;
        }
        if (header.isFragment()) {
            if (reassembler == null) {
                drops.add(IpDrop.FRAGMENT);
                return;
            }
            FragmentQueue whole = reassembler.ipv4(packet, start, headerLength, total);
            if (whole != null) {
                try {
                    receiveIpv4(whole.buffer, FragmentQueue.BASE - whole.headerLength, FragmentQueue.BASE + whole.total);
                } finally {
                    reassembler.release(whole);
                }
            }
            return;
        }
        context.setIpv4(header.protocol(), start + headerLength, total - headerLength);
        deliver(packet, start, end);
    }

    /** The ICMP protocol of one version that reports this layer's parameter problems. */
    void reportErrorsTo(AbstractIcmpProtocol icmp) {
        if (icmp instanceof IcmpProtocol) {
            icmpv4Errors = icmp;
        } else {
            icmpv6Errors = icmp;
        }
    }

    private void reportProblem(AbstractIcmpProtocol icmp, ByteBuffer packet, int start, int end) {
        if (problemReported && icmp != null) {
            icmp.parameterProblem(problemCode, problemPointer, packet, start, end, problemToGroups);
        }
    }

    /**
     * Walks the IPv4 options in {@code [at, end)}: end-of-list and no-operation are one byte, every
     * other option has a length of at least 2 that stays inside the header; a loose or strict
     * source route is refused, as a host does.
     */
    private IpDrop checkIpv4Options(ByteBuffer packet, int at, int end) {
        int header = at - Ipv4Header.MIN_LENGTH;
        problemReported = false;
        while (at < end) {
            int type = NetworkOrder.u8(packet, at);
            if (type == IPV4_OPTION_END) {
                return null;
            }
            if (type == IPV4_OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end || NetworkOrder.u8(packet, at + 1) < 2 || at + NetworkOrder.u8(packet, at + 1) > end) {
                problem(0, at + 1 - header, false);  // RFC 1122 3.2.2.5: the pointer names the bad length
                return IpDrop.BAD_OPTION;
            }
            int length = NetworkOrder.u8(packet, at + 1);
            if (type == IPV4_OPTION_LSRR || type == IPV4_OPTION_SSRR) {
                return IpDrop.SOURCE_ROUTED;
            }
            at += length;
        }
        return null;
    }

    /**
     * Walks the TLV options of a hop-by-hop or destination options header in {@code [at, end)}
     * (RFC 8200 section 4.2): Pad1, PadN and the router alert are known; an unknown option is
     * skipped when its two high bits are 00 and discards the packet otherwise.
     */
    private IpDrop checkIpv6Options(ByteBuffer packet, int header, int at, int end) {
        problemReported = false;
        while (at < end) {
            int type = NetworkOrder.u8(packet, at);
            if (type == IPV6_OPTION_PAD1) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return IpDrop.BAD_OPTION;
            }
            int length = 2 + NetworkOrder.u8(packet, at + 1);
            if (at + length > end) {
                return IpDrop.BAD_OPTION;
            }
            boolean known = type == IPV6_OPTION_PADN || type == IPV6_OPTION_ROUTER_ALERT;
            int action = type >>> 6;
            if (!known && action != 0) {
                // RFC 8200 4.2: 01 discard silently, 10 report even to a multicast destination,
                // 11 report unless the destination is multicast
                if (action >= 2) {
                    problem(2, at - header, action == 2);
                }
                return IpDrop.BAD_OPTION;
            }
            at += length;
        }
        return null;
    }

    private void problem(int code, int pointer, boolean toGroups) {
        problemReported = true;
        problemCode = code;
        problemPointer = pointer;
        problemToGroups = toGroups;
    }

    /**
     * An IPv4 source no packet may honestly carry (Linux's "martian source", RFC 1812 section
     * 5.3.7): multicast or class E (224/4, 240/4, with 255.255.255.255), loopback (127/8),
     * "this network" (0/8; 0.0.0.0 only to the limited broadcast, as a DHCP client does), or one of
     * our own addresses or subnet broadcasts (a reflected or spoofed packet).
     */
    private boolean martianIpv4(int source, int destination) {
        int first = source >>> 24;
        if (first >= 224 || first == 127) {
            return true;
        }
        if (first == 0) {
            return source != 0 || destination != Ipv4Header.BROADCAST;
        }
        for (int i = 0; i < ipv4.length; i++) {
            if (ipv4[i] == source || ipv4Broadcast[i] == source) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IPv6 source no packet may honestly carry (RFC 4291): multicast (ff00::/8), loopback
     * (::1), IPv4-mapped (::ffff:0:0/96), or one of our own addresses. The unspecified address
     * (::) is allowed: duplicate address detection uses it.
     */
    private boolean martianIpv6(long high, long low) {
        if (Ipv6Header.isMulticast(high)) {
            return true;
        }
        if (high == 0 && (low == 1 || (low >>> 32) == 0xFFFF)) {
            return true;
        }
        return isLocalIpv6(high, low);
    }

    /**
     * Whether packets from martian sources are delivered (off by default): multicast, broadcast,
     * class E, loopback, 0/8 or our own address as an IPv4 source; multicast, loopback,
     * IPv4-mapped or our own address as an IPv6 source. Such packets are spoofed or misrouted,
     * and answering them reflects traffic at a victim, so they are dropped as
     * {@link IpDrop#MARTIAN_SOURCE} unless this is set.
     *
     * @param accept true to deliver them
     * @return this
     */
    public IPProtocol acceptMartians(boolean accept) {
        this.acceptMartians = accept;
        return this;
    }

    private boolean acceptsIpv4(int destination) {
        if (ipv4.length == 0 && ipv6.length == 0) {
            return true;
        }
        if (destination == Ipv4Header.BROADCAST || destination == 0xE000_0001) {
            return true;
        }
        for (int i = 0; i < ipv4.length; i++) {
            if (ipv4[i] == destination || ipv4Broadcast[i] == destination) {
                return true;
            }
        }
        return false;
    }

    private void receiveIpv6(ByteBuffer packet, int start, int end) {
        int available = end - start;
        if (available < Ipv6Header.LENGTH) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        Ipv6Header header = context.ipv6View().wrap(packet, start);
        int limit = start + Ipv6Header.LENGTH + header.payloadLength();
        if (limit > end) {
            drops.add(IpDrop.TRUNCATED);
            return;
        }
        if (!acceptMartians && martianIpv6(header.sourceHigh(), header.sourceLow())) {
            drops.add(IpDrop.MARTIAN_SOURCE);
            return;
        }
        if (!acceptsIpv6(header.destinationHigh(), header.destinationLow())) {
            drops.add(IpDrop.NOT_FOR_US);
            return;
        }
        int next = header.nextHeader();
        int at = start + Ipv6Header.LENGTH;
        int nextField = start + Ipv6Header.NEXT_HEADER_OFFSET;
        for (int count = 0; ; count++) {
            if (count > MAX_EXTENSION_HEADERS) {
                drops.add(IpDrop.BAD_EXTENSION_HEADER);
                return;
            }
            int length;
            switch (next) {
                case Ipv6Header.HOP_BY_HOP, Ipv6Header.ROUTING, Ipv6Header.DESTINATION_OPTIONS -> {
                    if (limit - at < 8 || (next == Ipv6Header.HOP_BY_HOP && count > 0)) {
                        drops.add(IpDrop.BAD_EXTENSION_HEADER);  // hop-by-hop only right after the header
                        return;
                    }
                    length = (NetworkOrder.u8(packet, at + 1) + 1) * 8;
                    if (limit - at < length) {
                        drops.add(IpDrop.BAD_EXTENSION_HEADER);
                        return;
                    }
                    IpDrop bad;
                    if (next == Ipv6Header.ROUTING) {
                        // Segments left: no routing type is one a host processes (RH0 is
                        // deprecated, RFC 5095): RFC 8200 4.4 points at the routing type.
                        bad = NetworkOrder.u8(packet, at + 3) != 0 ? IpDrop.SOURCE_ROUTED : null;
                        problemReported = false;
                        if (bad != null) {
                            problem(0, at + 2 - start, false);
                        }
                    } else {
                        bad = checkIpv6Options(packet, start, at + 2, at + length);
                    }
                    if (bad != null) {
                        drops.add(bad);
                        reportProblem(icmpv6Errors, packet, start, limit);
                        return;
                    }
                }
                case Ipv6Header.AUTHENTICATION -> {
                    if (limit - at < 8) {
                        drops.add(IpDrop.BAD_EXTENSION_HEADER);
                        return;
                    }
                    length = (NetworkOrder.u8(packet, at + 1) + 2) * 4;
                }
                case Ipv6Header.FRAGMENT -> {
                    if (limit - at < 8) {
                        drops.add(IpDrop.BAD_EXTENSION_HEADER);
                        return;
                    }
                    // Offset and M flag zero: an atomic fragment (RFC 6946), processed as whole.
                    if ((NetworkOrder.u16(packet, at + 2) & 0xFFF9) != 0) {
                        reassembleIpv6(packet, start, at, limit);
                        return;
                    }
                    length = 8;
                }
                case Ipv6Header.NO_NEXT_HEADER -> {
                    drops.add(IpDrop.NO_NEXT_HEADER);
                    return;
                }
                default -> {
                    context.setIpv6(next, at, limit - at);
                    nextHeaderPointer = nextField - start;
                    deliver(packet, start, end);
                    return;
                }
            }
            if (limit - at < length) {
                drops.add(IpDrop.BAD_EXTENSION_HEADER);
                return;
            }
            next = NetworkOrder.u8(packet, at);
            nextField = at;
            at += length;
        }
    }

    /** An IPv6 fragment whose fragment header is at {@code fragment}: to the reassembler. */
    private void reassembleIpv6(ByteBuffer packet, int start, int fragment, int limit) {
        if (reassembler == null) {
            drops.add(IpDrop.FRAGMENT);
            return;
        }
        if (reassembled) {
            drops.add(IpDrop.BAD_EXTENSION_HEADER);  // a fragment header inside a reassembled datagram
            return;
        }
        int pointer = reassembler.checkIpv6(packet, start, fragment, limit);
        if (pointer >= 0) {
            if (icmpv6Errors != null) {
                icmpv6Errors.parameterProblem(0, pointer, packet, start, limit, false);
            }
            return;
        }
        FragmentQueue whole = reassembler.ipv6(packet, start, fragment, limit);
        if (whole != null) {
            reassembled = true;
            try {
                receiveIpv6(whole.buffer, FragmentQueue.BASE - Ipv6Header.LENGTH, FragmentQueue.BASE + whole.total);
            } finally {
                reassembled = false;
                reassembler.release(whole);
            }
        }
    }

    /** A datagram timed out in reassembly with its first fragment at {@code buffer[start, end)}. */
    void reassemblyTimedOut(int version, ByteBuffer buffer, int start, int end) {
        AbstractIcmpProtocol icmp = version == 4 ? icmpv4Errors : icmpv6Errors;
        if (icmp != null) {
            icmp.error(version == 4 ? IcmpHeader.TIME_EXCEEDED : IcmpHeader.V6_TIME_EXCEEDED, 1, 0, buffer, start, end,
                false);
        }
    }

    /**
     * Sends an ICMP port unreachable (ICMPv4 type 3 code 3, ICMPv6 type 1 code 4) about the packet
     * being delivered, as a host does for a UDP datagram to a port nobody listens on (RFC 1122
     * section 4.1.3.1), quoting it, by the rules and the rate limit of
     * {@link AbstractIcmpProtocol}: never about a packet to a broadcast or multicast address
     * (IP or link layer), about an ICMP error or to a source that is not a unicast host. Only
     * during the upper protocol's {@code datagramReceived}.
     *
     * @param received the packet being delivered (the context handed to the upper protocol)
     * @return true if an error was sent
     */
    public boolean portUnreachable(IpPacket received) {
        return unreachable(received, received.isIpv4() ? IcmpHeader.DESTINATION_UNREACHABLE
            : IcmpHeader.V6_DESTINATION_UNREACHABLE, received.isIpv4() ? 3 : 4, 0);
    }

    private boolean unreachable(IpPacket received, int type, int code, int word) {
        AbstractIcmpProtocol icmp = received.isIpv4() ? icmpv4Errors : icmpv6Errors;
        long linkDestination = received.linkDestination();
        if (icmp == null || (linkDestination != RawPacketProtocol.NO_MAC && (linkDestination >>> 40 & 1) != 0)) {
            return false;
        }
        ByteBuffer buffer = received.isIpv4() ? received.ipv4().buffer() : received.ipv6().buffer();
        int start = received.isIpv4() ? received.ipv4().offset() : received.ipv6().offset();
        return icmp.error(type, code, word, buffer, start, received.payloadOffset() + received.payloadLength(), false);
    }

    /** Hands an ICMP error about a packet we sent to the protocols of the quoted protocol number. */
    void deliverError(IcmpError error) {
        for (RawDatagramProtocol proto : protocols.get(error.quotedProtocol())) {
            try {
                proto.icmpErrorReceived(error);
            } catch (RuntimeException e) {
                drops.protocolFailed(IpDrop.PROTOCOL_FAILED, logPrefix(), proto.getClass().getName(), e);
            }
        }
    }

    private boolean acceptsIpv6(long high, long low) {
        if (ipv4.length == 0 && ipv6.length == 0) {
            return true;
        }
        if (high == Ipv6Header.ALL_NODES_HIGH && low == Ipv6Header.ALL_NODES_LOW) {
            return true;
        }
        for (int i = 0; i < ipv6.length; i += 2) {
            if (ipv6[i] == high && ipv6[i + 1] == low) {
                return true;
            }
            if (high == Ipv6Header.ALL_NODES_HIGH && low == Ipv6Header.solicitedNodeLow(ipv6[i + 1])) {
                return true;
            }
        }
        return false;
    }

    private void deliver(ByteBuffer packet, int start, int end) {
        RawDatagramProtocol[] list = protocols.get(context.protocol());
        if (list.length == 0) {
            drops.add(IpDrop.UNKNOWN_PROTOCOL);
            // RFC 1122 3.2.2.1 / RFC 8200 4: protocol unreachable, or a parameter problem at the next header
            if (context.isIpv4()) {
                unreachable(context, IcmpHeader.DESTINATION_UNREACHABLE, 2, 0);
            } else {
                unreachable(context, IcmpHeader.V6_PARAMETER_PROBLEM, 1, nextHeaderPointer);
            }
            return;
        }
        packetsDelivered++;
        batch.add(list);
        int from = context.payloadOffset();
        int to = from + context.payloadLength();
        for (RawDatagramProtocol proto : list) {
            packet.limit(to).position(from);
            try {
                proto.datagramReceived(packet, context);
            } catch (RuntimeException e) {
                drops.protocolFailed(IpDrop.PROTOCOL_FAILED, logPrefix(), proto.getClass().getName(), e);
            }
        }
        packet.limit(end).position(start);
    }

    /**
     * Passes the end of the read batch to every protocol that received a payload in it.
     */
    @Override
    public void readComplete() {
        batch.complete(completeOne);
    }

    private void completeOne(RawDatagramProtocol proto) {
        try {
            proto.readComplete();
        } catch (RuntimeException e) {
            drops.protocolFailed(IpDrop.PROTOCOL_FAILED, logPrefix(), proto.getClass().getName(), e);
        }
    }

    /**
     * TCP segmentation offload towards the device, for writing super-packets
     * ({@link SegmentOffload#writeTcpSuperPacket}) beside {@link #send}: the TUN port's offload when
     * this protocol writes to the port directly, {@link SegmentOffload#NONE} through a link (TAP) or
     * before the port started.
     *
     * @return the offload of the port under this protocol
     */
    public SegmentOffload segmentOffload() {
        PacketTransport port = transport;
        return link == null && port != null ? port.segmentOffload() : SegmentOffload.NONE;
    }

    /**
     * Sends a complete IP packet through the link (or the attached port when there is no link),
     * fragmented when it is longer than {@link #mtuFor the MTU} of its destination: IPv4 when DF
     * is clear (a packet with DF set was sized by its sender, e.g. a TCP segment or a GSO
     * super-packet for the device to cut, and goes as it is; {@link #sendFragmentable} clears DF
     * when needed), IPv6 always, with fragment headers, never below 1280. Never throws for
     * network conditions: a refused packet is counted ({@link IpDrop#SEND_FAILED},
     * {@link IpDrop#NO_LINK}).
     *
     * @param buffer the buffer; see {@link IpLink#send} for the headroom and ownership rules
     * @param offset absolute index of the IP header
     * @param length bytes of IP packet
     * @return true if written or queued
     */
    public boolean send(ByteBuffer buffer, int offset, int length) {
        int limit = mtuFor(buffer, offset);
        if (length <= limit) {
            return sendWhole(buffer, offset, length);
        }
        if (NetworkOrder.u8(buffer, offset) >>> 4 == 4) {
            if ((NetworkOrder.u16(buffer, offset + Ipv4Header.FRAGMENT_OFFSET) & Ipv4Header.FLAG_DONT_FRAGMENT) != 0) {
                return sendWhole(buffer, offset, length);  // sized by its sender (a GSO super-packet)
            }
            return fragmentIpv4(buffer, offset, length, limit);
        }
        return fragmentIpv6(buffer, offset, length, limit);
    }

    /**
     * Like {@link #send}, for a packet its sender lets this layer fragment (echo replies, UDP,
     * Linux's {@code IP_PMTUDISC_WANT}): an IPv4 packet longer than the MTU of its destination
     * has its DF flag cleared (the header checksum updated) and leaves in fragments; one that
     * fits keeps DF, so the path can still report a smaller MTU.
     *
     * @param buffer the buffer; see {@link IpLink#send} for the headroom and ownership rules
     * @param offset absolute index of the IP header
     * @param length bytes of IP packet
     * @return true if every fragment was written or queued
     */
    public boolean sendFragmentable(ByteBuffer buffer, int offset, int length) {
        if (NetworkOrder.u8(buffer, offset) >>> 4 == 4 && length > mtuFor(buffer, offset)) {
            int field = NetworkOrder.u16(buffer, offset + Ipv4Header.FRAGMENT_OFFSET);
            if ((field & Ipv4Header.FLAG_DONT_FRAGMENT) != 0) {
                NetworkOrder.u16(buffer, offset + Ipv4Header.FRAGMENT_OFFSET, field & ~Ipv4Header.FLAG_DONT_FRAGMENT);
                int headerLength = (NetworkOrder.u8(buffer, offset) & 0xF) * 4;
                NetworkOrder.u16(buffer, offset + Ipv4Header.CHECKSUM_OFFSET, 0);
                NetworkOrder.u16(buffer, offset + Ipv4Header.CHECKSUM_OFFSET,
                    InternetChecksum.checksum(buffer, offset, headerLength, 0));
            }
        }
        return send(buffer, offset, length);
    }

    /**
     * The MTU a packet to the destination of the packet at {@code offset} is cut to: the link
     * MTU, or the path MTU learnt for it if lower ({@link #pathMtu(PathMtuCache)}).
     *
     * @param buffer the buffer
     * @param offset absolute index of an IP header
     * @return bytes
     */
    public int mtuFor(ByteBuffer buffer, int offset) {
        int path;
        if (NetworkOrder.u8(buffer, offset) >>> 4 == 4) {
            path = pathMtu == null ? 0 : pathMtu.ipv4(NetworkOrder.i32(buffer, offset + Ipv4Header.DESTINATION_OFFSET));
            return path == 0 ? mtu : Math.min(mtu, path);
        }
        path = pathMtu == null ? 0 : pathMtu.ipv6(NetworkOrder.i64(buffer, offset + Ipv6Header.DESTINATION_OFFSET),
            NetworkOrder.i64(buffer, offset + Ipv6Header.DESTINATION_OFFSET + 8));
        int limit = path == 0 ? mtu : Math.min(mtu, path);
        return Math.max(limit, PathMtuCache.IPV6_MIN_MTU);
    }

    /**
     * RFC 791 section 3.2: cuts an IPv4 packet into fragments of at most {@code limit} bytes, each
     * with the header (the first with every option, the others with the options whose copy flag
     * is set), the same identification, MF on all but the last, DF clear (Linux's
     * {@code IP_PMTUDISC_WANT}: a packet larger than the path is fragmented by its source).
     */
    private boolean fragmentIpv4(ByteBuffer buffer, int offset, int length, int limit) {
        int headerLength = (NetworkOrder.u8(buffer, offset) & 0xF) * 4;
        int originalField = NetworkOrder.u16(buffer, offset + Ipv4Header.FRAGMENT_OFFSET);
        int baseOffset = (originalField & 0x1FFF) * 8;
        boolean moreAfter = (originalField & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0;
        ByteBuffer out = fragmentBuffer();
        int at = IpLink.HEADROOM;
        int payload = length - headerLength;
        int piece = ((limit - headerLength) / 8) * 8;
        if (piece < 8) {
            drops.add(IpDrop.SEND_FAILED);
            return false;
        }
        int laterHeader = writeLaterHeader(out, at, buffer, offset, headerLength);
        boolean allSent = true;
        for (int done = 0; done < payload; ) {
            int header = done == 0 ? headerLength : laterHeader;
            int size = Math.min(done == 0 ? piece : ((limit - laterHeader) / 8) * 8, payload - done);
            boolean last = done + size == payload;
            if (done == 0) {
                out.put(at, buffer, offset, headerLength);
            } else {
                writeLaterHeader(out, at, buffer, offset, headerLength);
            }
            NetworkOrder.u8(out, at, 0x40 | (header / 4));
            NetworkOrder.u16(out, at + Ipv4Header.TOTAL_LENGTH_OFFSET, header + size);
            int field = ((baseOffset + done) / 8) | (last && !moreAfter ? 0 : Ipv4Header.FLAG_MORE_FRAGMENTS);
            NetworkOrder.u16(out, at + Ipv4Header.FRAGMENT_OFFSET, field);
            NetworkOrder.u16(out, at + Ipv4Header.CHECKSUM_OFFSET, 0);
            NetworkOrder.u16(out, at + Ipv4Header.CHECKSUM_OFFSET,
                InternetChecksum.checksum(out, at, header, 0));
            out.put(at + header, buffer, offset + headerLength + done, size);
            allSent &= sendWhole(out, at, header + size);
            fragmentsSent++;
            done += size;
        }
        return allSent;
    }

    /**
     * Writes the header of a fragment after the first at {@code out[at]}: the fixed part and the
     * options whose copy flag is set, padded to 4 bytes; returns its length.
     */
    private static int writeLaterHeader(ByteBuffer out, int at, ByteBuffer buffer, int offset, int headerLength) {
        out.put(at, buffer, offset, Ipv4Header.MIN_LENGTH);
        int written = Ipv4Header.MIN_LENGTH;
        for (int o = offset + Ipv4Header.MIN_LENGTH; o < offset + headerLength; ) {
            int type = NetworkOrder.u8(buffer, o);
            if (type == IPV4_OPTION_END) {
                break;
            }
            int optionLength = type == IPV4_OPTION_NOP ? 1 : NetworkOrder.u8(buffer, o + 1);
            if (optionLength < 1 || o + optionLength > offset + headerLength) {
                break;
            }
            if ((type & 0x80) != 0) {
                out.put(at + written, buffer, o, optionLength);
                written += optionLength;
            }
            o += optionLength;
        }
        while ((written & 3) != 0) {
            NetworkOrder.u8(out, at + written++, IPV4_OPTION_END);
        }
        return written;
    }

    /**
     * RFC 8200 section 4.5: cuts an IPv6 packet into fragments of at most {@code limit} bytes: the
     * fixed header, a fragment header (one random-started identification per datagram, RFC 7739)
     * and a multiple of 8 bytes of the rest. The stack sends no extension headers, so everything
     * after the fixed header is the fragmentable part.
     */
    private boolean fragmentIpv6(ByteBuffer buffer, int offset, int length, int limit) {
        ByteBuffer out = fragmentBuffer();
        int at = IpLink.HEADROOM;
        int next = NetworkOrder.u8(buffer, offset + Ipv6Header.NEXT_HEADER_OFFSET);
        int payload = length - Ipv6Header.LENGTH;
        int piece = ((limit - Ipv6Header.LENGTH - 8) / 8) * 8;
        int id = ++ipv6Identification;
        boolean allSent = true;
        for (int done = 0; done < payload; ) {
            int size = Math.min(piece, payload - done);
            boolean last = done + size == payload;
            out.put(at, buffer, offset, Ipv6Header.LENGTH);
            NetworkOrder.u16(out, at + Ipv6Header.PAYLOAD_LENGTH_OFFSET, 8 + size);
            NetworkOrder.u8(out, at + Ipv6Header.NEXT_HEADER_OFFSET, Ipv6Header.FRAGMENT);
            int fragment = at + Ipv6Header.LENGTH;
            NetworkOrder.u8(out, fragment, next);
            NetworkOrder.u8(out, fragment + 1, 0);
            NetworkOrder.u16(out, fragment + 2, done | (last ? 0 : 1));
            NetworkOrder.i32(out, fragment + 4, id);
            out.put(fragment + 8, buffer, offset + Ipv6Header.LENGTH + done, size);
            allSent &= sendWhole(out, at, Ipv6Header.LENGTH + 8 + size);
            fragmentsSent++;
            done += size;
        }
        return allSent;
    }

    private ByteBuffer fragmentBuffer() {
        if (fragmentOut == null) {
            fragmentOut = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + 65535);
        }
        fragmentOut.clear();
        return fragmentOut;
    }

    /**
     * Sends a complete IP packet as it is, whatever its length and the MTU: for GSO super-packets
     * that the device cuts (a TUN with offload), and for the fragments {@link #send} cuts. Never
     * throws for network conditions.
     *
     * @param buffer the buffer; see {@link IpLink#send} for the headroom and ownership rules
     * @param offset absolute index of the IP header
     * @param length bytes of IP packet
     * @return true if written or queued
     */
    public boolean sendWhole(ByteBuffer buffer, int offset, int length) {
        boolean sent;
        if (link != null) {
            sent = link.send(buffer, offset, length);
        } else {
            PacketTransport port = transport;
            if (port == null) {
                drops.add(IpDrop.NO_LINK);
                return false;
            }
            buffer.limit(offset + length).position(offset);
            try {
                sent = port.write(buffer) > 0;
            } catch (IOException e) {
                LOG.debug("{}: write failed", logPrefix(), e);
                sent = false;
            }
        }
        if (sent) {
            packetsSent++;
        } else {
            drops.add(IpDrop.SEND_FAILED);
        }
        return sent;
    }

    /**
     * The drop counters, one per {@link IpDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<IpDrop> drops() {
        return drops;
    }

    /**
     * Packets handed to this protocol. Each ends in exactly one of {@link #packetsDelivered()} or
     * a receive drop reason (every {@link IpDrop} except {@code PROTOCOL_FAILED}, {@code NO_LINK}
     * and {@code SEND_FAILED}).
     *
     * @return the count
     */
    public long packetsReceived() {
        return packetsReceived;
    }

    /**
     * Packets delivered to at least one upper protocol.
     *
     * @return the count
     */
    public long packetsDelivered() {
        return packetsDelivered;
    }

    /**
     * Packets sent successfully (written or queued for resolution).
     *
     * @return the count
     */
    public long packetsSent() {
        return packetsSent;
    }
}
