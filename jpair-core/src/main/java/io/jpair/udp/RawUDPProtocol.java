package io.jpair.udp;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IpLink;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.ip.RawDatagramProtocol;
import io.jpair.wire.DemuxTable;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.ReadBatch;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Demultiplexes UDP datagrams by destination port to {@link DatagramProtocol}s (Twisted's
 * {@code twisted.pair.rawudp.RawUDPProtocol}) and sends their datagrams through the
 * {@link IPProtocol}. Register it for protocol 17:
 *
 * <pre>{@code
 * RawUDPProtocol udp = new RawUDPProtocol(ip);
 * ip.addProto(IPProtocol.UDP, udp);
 * udp.addProto(7, new Echo());                      // Echo's transport() writes from port 7
 * }</pre>
 *
 * <p>Receiving: the UDP length bounds the payload (trailing bytes ignored); the checksum is
 * verified over the pseudo-header (a zero checksum means "none" over IPv4 and is rejected over
 * IPv6); protocols on the destination port get the payload, the reused {@link IpPacket} and the
 * source port, in registration order. A datagram to a port nobody listens on is answered with an
 * ICMP port unreachable ({@link IPProtocol#portUnreachable}, RFC 1122 section 4.1.3.1; as Linux,
 * never about broadcast or multicast datagrams, rate-limited). Drops are counted per
 * {@link UdpDrop} reason; nothing throws out of {@code datagramReceived}.
 *
 * <p>Sending: IPv4 or IPv6 and UDP headers with checksums are built in one preallocated direct
 * buffer behind {@link IpLink#HEADROOM} bytes, the payload is copied after them, and the packet
 * goes to {@link IPProtocol#sendFragmentable} (fragmented when longer than the MTU): nothing is
 * allocated per datagram.
 *
 * <p>Unlike Twisted: length and checksum are validated; the IP destination is available to the
 * protocol; an exception from one protocol does not stop delivery to the others; ports outside
 * 0..65535 are rejected with IllegalArgumentException; {@link #removeProto} exists; protocols can
 * write.
 *
 * <p>Reactor thread only.
 */
public class RawUDPProtocol implements RawDatagramProtocol {
    /** Largest UDP payload over IPv4. */
    public static final int MAX_IPV4_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH - UdpHeader.LENGTH;
    /** Largest UDP payload over IPv6 (no jumbograms). */
    public static final int MAX_IPV6_PAYLOAD = 65535 - UdpHeader.LENGTH;

    private final IPProtocol ip;
    private final DemuxTable<DatagramProtocol> protocols = new DemuxTable<>(16, new DatagramProtocol[0]);
    private final ReadBatch<DatagramProtocol> batch = new ReadBatch<>(new DatagramProtocol[0]);
    private final Consumer<DatagramProtocol> completeOne = this::completeOne;
    private final UdpHeader header = new UdpHeader();
    private final UdpHeader outHeader = new UdpHeader();
    private final ByteBuffer out;
    private final DropCounter<UdpDrop> drops = new DropCounter<>(UdpDrop.class, RawUDPProtocol.class);
    private long datagramsReceived;
    private long datagramsDelivered;
    private long datagramsSent;
    private long portUnreachablesSent;
    private boolean answerGroupDatagrams;
    private boolean replyToServicePorts;

    /** A receive-only demultiplexer (Twisted's constructor): protocols cannot write. */
    public RawUDPProtocol() {
        this(null);
    }

    /**
     * A demultiplexer that sends through {@code ip}.
     *
     * @param ip the IP protocol it is registered on, or {@code null} for receive only
     */
    public RawUDPProtocol(IPProtocol ip) {
        this.ip = ip;
        this.out = ip == null ? null : ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + 65535);
    }

    /**
     * The IP layer datagrams are sent through.
     *
     * @return the IP protocol
     * @throws IllegalStateException for a receive-only instance
     */
    public IPProtocol ip() {
        if (ip == null) {
            throw new IllegalStateException("this RawUDPProtocol was built without an IPProtocol and cannot send");
        }
        return ip;
    }

    /**
     * Registers {@code proto} for datagrams to {@code port}; several protocols per port are called
     * in the order added. A protocol without a transport is connected to one sending from
     * {@code port} ({@link DatagramProtocol#makeConnection}).
     *
     * @param port 0..65535
     * @param proto the protocol
     * @throws IllegalArgumentException if the port is out of range
     * @throws NullPointerException if {@code proto} is null
     */
    public void addProto(int port, DatagramProtocol proto) {
        protocols.add(port, proto);
        if (proto.transport() == null) {
            proto.makeConnection(new StackDatagramTransport(this, port));
        }
    }

    /**
     * Unregisters one registration of {@code proto}; stops it if it was connected to this port.
     *
     * @param port the port it was added for
     * @param proto the protocol
     * @return true if it was registered
     */
    public boolean removeProto(int port, DatagramProtocol proto) {
        if (!protocols.remove(port, proto)) {
            return false;
        }
        DatagramTransport t = proto.transport();
        if (t instanceof StackDatagramTransport stack && stack.udp() == this && stack.getPort() == port) {
            proto.doStop();
        }
        return true;
    }

    /**
     * One UDP datagram from the IP layer. Never throws.
     *
     * @param payload the UDP header and data; borrowed
     * @param packet the IP packet
     */
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet) {
        datagramsReceived++;
        int start = payload.position();
        int end = payload.limit();
        if (end - start < UdpHeader.LENGTH) {
            drops.add(UdpDrop.TRUNCATED);
            return;
        }
        header.wrap(payload, start);
        int length = header.length();
        if (length < UdpHeader.LENGTH) {
            drops.add(UdpDrop.BAD_LENGTH);
            return;
        }
        if (length > end - start) {
            drops.add(UdpDrop.TRUNCATED);
            return;
        }
        if (header.checksum() == 0) {
            if (!packet.isIpv4()) {
                drops.add(UdpDrop.MISSING_CHECKSUM);
                return;
            }
        } else if (!header.checksumValid(packet.pseudoHeaderSum(IPProtocol.UDP, length))) {
            drops.add(UdpDrop.BAD_CHECKSUM);
            return;
        }
        DatagramProtocol[] list = protocols.get(header.destinationPort());
        if (list.length == 0) {
            drops.add(UdpDrop.NO_LISTENER);
            if (ip != null && ip.portUnreachable(packet)) {
                portUnreachablesSent++;
            }
            return;
        }
        datagramsDelivered++;
        batch.add(list);
        int sourcePort = header.sourcePort();
        int data = start + UdpHeader.LENGTH;
        int dataEnd = start + length;
        for (DatagramProtocol proto : list) {
            payload.limit(dataEnd).position(data);
            try {
                proto.datagramReceived(payload, packet, sourcePort);
            } catch (RuntimeException e) {
                drops.protocolFailed(UdpDrop.PROTOCOL_FAILED, "udp", proto.getClass().getName(), e);
            }
        }
        payload.limit(end).position(start);
    }

    /**
     * Whether {@link DatagramTransport#reply} answers datagrams sent to a broadcast or multicast
     * address (off by default: one spoofed datagram to the subnet would make every host answer the
     * victim, the "fraggle" amplification).
     *
     * @param answer true to answer them
     * @return this
     */
    public RawUDPProtocol answerGroupDatagrams(boolean answer) {
        this.answerGroupDatagrams = answer;
        return this;
    }

    /**
     * Whether {@link DatagramTransport#reply} answers port 0 and the well-known echo-like service
     * ports 7, 9, 13, 17, 19 and 37 (off by default: two echo services told each other's address
     * would answer each other forever).
     *
     * @param allow true to allow such replies
     * @return this
     */
    public RawUDPProtocol replyToServicePorts(boolean allow) {
        this.replyToServicePorts = allow;
        return this;
    }

    boolean answersGroupDatagrams() {
        return answerGroupDatagrams;
    }

    boolean repliesToServicePorts() {
        return replyToServicePorts;
    }

    /** Counts a reply the guard refused; the reply's result (0: nothing sent). */
    int refuse(UdpDrop reason) {
        drops.add(reason);
        return 0;
    }

    /**
     * Passes the end of the read batch to every protocol that received a datagram in it.
     */
    @Override
    public void readComplete() {
        batch.complete(completeOne);
    }

    private void completeOne(DatagramProtocol proto) {
        try {
            proto.readComplete();
        } catch (RuntimeException e) {
            drops.protocolFailed(UdpDrop.PROTOCOL_FAILED, "udp", proto.getClass().getName(), e);
        }
    }

    int sendIpv4(int sourcePort, ByteBuffer payload, int source, int destination, int destinationPort) {
        int udpLength = UdpHeader.LENGTH + checkedLength(payload, MAX_IPV4_PAYLOAD, "IPv4", destinationPort);
        out.clear();
        Ipv4Header.write(out, IpLink.HEADROOM, Ipv4Header.MIN_LENGTH + udpLength, ip.nextIdentification(),
            IPProtocol.DEFAULT_TTL, IPProtocol.UDP, source, destination);
        return send(Ipv4Header.MIN_LENGTH, sourcePort, payload, destinationPort,
            InternetChecksum.pseudoHeaderIpv4(source, destination, IPProtocol.UDP, udpLength));
    }

    int sendIpv6(int sourcePort, ByteBuffer payload, long sourceHigh, long sourceLow, long destinationHigh,
            long destinationLow, int destinationPort) {
        int udpLength = UdpHeader.LENGTH + checkedLength(payload, MAX_IPV6_PAYLOAD, "IPv6", destinationPort);
        out.clear();
        Ipv6Header.write(out, IpLink.HEADROOM, udpLength, IPProtocol.UDP, IPProtocol.DEFAULT_TTL, sourceHigh, sourceLow,
            destinationHigh, destinationLow);
        return send(Ipv6Header.LENGTH, sourcePort, payload, destinationPort, InternetChecksum.pseudoHeaderIpv6(
            sourceHigh, sourceLow, destinationHigh, destinationLow, IPProtocol.UDP, udpLength));
    }

    /** The payload's length, once it is known to fit and the destination port to be valid. */
    private int checkedLength(ByteBuffer payload, int max, String family, int destinationPort) {
        ip();
        int length = payload.remaining();
        if (length > max) {
            throw new IllegalArgumentException(length + " bytes do not fit in one UDP/" + family
                + " datagram (at most " + max + ")");
        }
        if (destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("UDP port must be 0..65535, not " + destinationPort);
        }
        return length;
    }

    /**
     * Behind the IP header already in {@code out}: copies the payload (the one copy of the send
     * path), writes the UDP header with its checksum in place, and hands the packet to IP.
     */
    private int send(int ipHeaderLength, int sourcePort, ByteBuffer payload, int destinationPort, long pseudoHeader) {
        int length = payload.remaining();
        int udpLength = UdpHeader.LENGTH + length;
        int udp = IpLink.HEADROOM + ipHeaderLength;
        out.put(udp + UdpHeader.LENGTH, payload, payload.position(), length);
        outHeader.wrap(out, udp).sourcePort(sourcePort).destinationPort(destinationPort).length(udpLength)
            .computeChecksum(pseudoHeader);
        return finish(ip.sendFragmentable(out, IpLink.HEADROOM, ipHeaderLength + udpLength), length);
    }

    private int finish(boolean sent, int length) {
        if (sent) {
            datagramsSent++;
            return length;
        }
        drops.add(UdpDrop.SEND_FAILED);
        return 0;
    }

    /**
     * The drop counters, one per {@link UdpDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<UdpDrop> drops() {
        return drops;
    }

    /**
     * Datagrams handed to this protocol.
     *
     * @return the count
     */
    public long datagramsReceived() {
        return datagramsReceived;
    }

    /**
     * Datagrams delivered to at least one protocol.
     *
     * @return the count
     */
    public long datagramsDelivered() {
        return datagramsDelivered;
    }

    /**
     * ICMP port unreachables sent about datagrams to ports nobody listens on.
     *
     * @return the count
     */
    public long portUnreachablesSent() {
        return portUnreachablesSent;
    }

    /**
     * Datagrams sent (or queued for resolution).
     *
     * @return the count
     */
    public long datagramsSent() {
        return datagramsSent;
    }
}
