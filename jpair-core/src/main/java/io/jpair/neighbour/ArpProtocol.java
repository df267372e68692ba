package io.jpair.neighbour;

import io.jpair.ethernet.EthernetHeader;
import io.jpair.ethernet.EthernetProtocol;
import io.jpair.ethernet.MacAddress;
import io.jpair.reactor.ReactorTime;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.PacketTransport;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.wire.DropCounter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARP for a host on an Ethernet (TAP) link, RFC 826: answers requests for our IPv4 addresses,
 * learns senders into a {@link NeighbourTable}, resolves addresses for outgoing packets, and
 * announces our addresses with gratuitous ARP. Register it on the {@link EthernetProtocol} it
 * writes through:
 *
 * <pre>{@code
 * ArpProtocol arp = new ArpProtocol(ethernet, mac, reactor);
 * arp.addAddress(0x0A4D0102);                         // 10.77.1.2
 * ethernet.addProto(EthernetHeader.TYPE_ARP, arp);
 * long peer = arp.resolve(0x0A4D0101);                 // MacAddress.NONE at first: a request went out
 * }</pre>
 *
 * <p><b>What is believed.</b> Every sender goes through {@link NeighbourTable#offer}, so:
 * <ul>
 *   <li>a reply is taken only for an address we asked about (within
 *       {@link NeighbourTable#ANSWER_WINDOW_NANOS} of our request, once); an unsolicited reply is
 *       dropped ({@link ArpDrop#UNSOLICITED_REPLY}), so nobody can plant an entry by replying;</li>
 *   <li>a request for one of our addresses is answered, and adds its sender if unknown and the
 *       cache has room without evicting a neighbour in use (RFC 826: the asker is about to talk to
 *       us); it never fills in an address we are resolving;</li>
 *   <li>gratuitous ARP and packets for other addresses never add entries
 *       ({@link ArpDrop#NOT_FOR_US}, as Linux's {@code arp_accept=0}); they refresh a known
 *       neighbour that repeats its MAC;</li>
 *   <li>any packet giving a <em>different</em> MAC for a resolved neighbour (a gratuitous ARP after
 *       a MAC change, or an attempt at poisoning) does not replace it: counted in
 *       {@link #conflicts()} (and {@link ArpDrop#CONFLICTING_MAC} unless it was a request we
 *       answered), the old MAC stays in use and is probed at once by a unicast request plus one
 *       broadcast, repeated by unicast up to {@value NeighbourTable#MAX_PROBES} times 1 s apart
 *       while traffic flows ({@link #probesSent()}). The old owner's answer keeps the entry;
 *       only when it stays silent does an answer with the new MAC replace it (see
 *       {@link NeighbourTable}). A forger cannot displace a live neighbour; a legitimate MAC
 *       change takes effect after {@value NeighbourTable#MAX_PROBES} s.</li>
 * </ul>
 * Requests sent are limited per address (one per {@link #REQUEST_INTERVAL_NANOS}) and for the
 * whole cache ({@link NeighbourTable#requestsPerSecond()}), so packets for a sweep of spoofed
 * on-link addresses cannot make a broadcast each. ARP in a VLAN-tagged frame is dropped
 * ({@link ArpDrop#VLAN_TAGGED}; the {@link EthernetProtocol} drops tagged frames of VLANs it was
 * not told to accept before they get here).
 * Senders with a group (multicast/broadcast) MAC are dropped ({@link ArpDrop#GROUP_SENDER}).
 * Each packet received ends in exactly one of {@link #requestsAnswered()},
 * {@link #repliesReceived()}, {@link #announcementsAccepted()} or a drop reason other than
 * {@link ArpDrop#WRITE_FAILED}. Replies from
 * this stack are written at once through the Ethernet protocol's transport from a preallocated
 * frame buffer (no allocation per packet); a write failure is counted
 * ({@link ArpDrop#WRITE_FAILED}), never thrown.
 *
 * <p>Time comes only from the clock given at construction (the reactor's). Reactor thread only.
 */
public final class ArpProtocol extends AbstractPacketProtocol implements RawPacketProtocol {
    /** Minimum time between two requests for the same address: 1 s. */
    public static final long REQUEST_INTERVAL_NANOS = 1_000_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ArpProtocol.class);

    private final EthernetProtocol ethernet;
    private final long mac;
    private final NeighbourTable table;
    private final ArpPacket packet = new ArpPacket();
    private final ArpPacket out = new ArpPacket();
    private final ByteBuffer frame = ByteBuffer.allocateDirect(EthernetHeader.MIN_FRAME_LENGTH);
    private final DropCounter<ArpDrop> drops = new DropCounter<>(ArpDrop.class, ArpProtocol.class);
    private int[] addresses = new int[0];
    private int[] subnetMasks = new int[0];
    private NeighbourListener listener;
    private final ReactorTime clock;
    private long packetsReceived;
    private long announcementsAccepted;
    private long conflicts;
    private long requestsAnswered;
    private long requestsSent;
    private long repliesReceived;
    private long probesSent;

    /**
     * ARP for the station {@code mac}, writing through {@code ethernet}'s transport.
     *
     * @param ethernet the Ethernet protocol this one is registered on
     * @param mac our MAC, {@code long} form
     * @param clock the reactor's clock, for cache ages and request intervals
     */
    public ArpProtocol(EthernetProtocol ethernet, long mac, ReactorTime clock) {
        this(ethernet, mac, clock, new NeighbourTable());
    }

    /**
     * ARP with a given cache.
     *
     * @param ethernet the Ethernet protocol this one is registered on
     * @param mac our MAC, {@code long} form
     * @param clock the reactor's clock
     * @param table the ARP cache
     */
    public ArpProtocol(EthernetProtocol ethernet, long mac, ReactorTime clock, NeighbourTable table) {
        this.ethernet = Objects.requireNonNull(ethernet, "ethernet");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mac = mac;
        this.table = Objects.requireNonNull(table, "table");
        out.wrap(frame, EthernetHeader.LENGTH);
    }

    /**
     * Adds an IPv4 address we answer for.
     *
     * @param ipv4 the address as an int (first octet most significant)
     * @return this
     */
    public ArpProtocol addAddress(int ipv4) {
        return addAddress(ipv4, 32);
    }

    /**
     * Adds an IPv4 address we answer for, with its prefix: senders must then be on one of our
     * subnets ({@link ArpDrop#OFF_LINK_SENDER}); a /32 address checks nothing (point-to-point).
     *
     * @param ipv4 the address as an int (first octet most significant)
     * @param prefixLength 0..32
     * @return this
     * @throws IllegalArgumentException for a prefix outside 0..32
     */
    public ArpProtocol addAddress(int ipv4, int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length must be 0..32, not " + prefixLength);
        }
        if (!isOurs(ipv4)) {
            addresses = Arrays.copyOf(addresses, addresses.length + 1);
            addresses[addresses.length - 1] = ipv4;
            if (prefixLength < 32) {
                subnetMasks = Arrays.copyOf(subnetMasks, subnetMasks.length + 2);
                subnetMasks[subnetMasks.length - 2] = ipv4;
                subnetMasks[subnetMasks.length - 1] = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            }
        }
        return this;
    }

    /** True when no subnet is known, or the sender is on one of ours (0.0.0.0, a probe, always is). */
    private boolean onLink(int sender) {
        if (sender == 0 || subnetMasks.length == 0) {
            return true;
        }
        for (int i = 0; i < subnetMasks.length; i += 2) {
            int mask = subnetMasks[i + 1];
            if ((sender & mask) == (subnetMasks[i] & mask)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets who is told when an address is resolved.
     *
     * @param listener the listener, or {@code null}
     * @return this
     */
    public ArpProtocol listener(NeighbourListener listener) {
        this.listener = listener;
        return this;
    }

    /**
     * The ARP cache.
     *
     * @return the table
     */
    public NeighbourTable table() {
        return table;
    }

    private boolean isOurs(int ipv4) {
        for (int a : addresses) {
            if (a == ipv4) {
                return true;
            }
        }
        return false;
    }

    private long now() {
        return clock.nanoTime();
    }

    /**
     * One ARP packet. Never throws: malformed packets are counted.
     *
     * @param buffer the ARP packet between position and limit; borrowed for the call
     * @param destination the frame's destination MAC
     * @param source the frame's source MAC
     * @param etherType 0x0806
     */
    @Override
    public void datagramReceived(ByteBuffer buffer, long destination, long source, int etherType) {
        packetsReceived++;
        int start = buffer.position();
        packet.wrap(buffer, start);
        if (!packet.fits(buffer.limit() - start)) {
            drops.add(ArpDrop.TRUNCATED);
            return;
        }
        if (!packet.isEthernetIpv4()) {
            drops.add(ArpDrop.UNSUPPORTED_FORMAT);
            return;
        }
        int operation = packet.operation();
        if (operation != ArpPacket.REQUEST && operation != ArpPacket.REPLY) {
            drops.add(ArpDrop.UNKNOWN_OPERATION);
            return;
        }
        if (ethernet.frameVlan() >= 0) {
            drops.add(ArpDrop.VLAN_TAGGED);
            return;
        }
        long senderMac = packet.senderHardware();
        int senderIp = packet.senderProtocol();
        int targetIp = packet.targetProtocol();
        if (senderMac == mac || (senderIp != 0 && isOurs(senderIp))) {
            drops.add(ArpDrop.FROM_OURSELVES);
            return;
        }
        if (MacAddress.isGroup(senderMac)) {
            drops.add(ArpDrop.GROUP_SENDER);
            return;
        }
        if (senderMac == 0 || impossibleSender(senderIp)) {
            drops.add(ArpDrop.BAD_SENDER);
            return;
        }
        if (!onLink(senderIp)) {
            drops.add(ArpDrop.OFF_LINK_SENDER);
            return;
        }
        boolean requestForUs = operation == ArpPacket.REQUEST && isOurs(targetIp);
        int kind = requestForUs ? NeighbourTable.REQUEST
            : operation == ArpPacket.REPLY && isOurs(targetIp) ? NeighbourTable.ANSWER
            : NeighbourTable.HEARSAY;
        long key = NeighbourTable.ipv4Key(senderIp);
        int learned = senderIp == 0 ? NeighbourTable.UNKNOWN
            : table.offer(0, key, senderMac, now(), kind);
        if (learned == NeighbourTable.LEARNED || learned == NeighbourTable.CONFIRMED) {
            if (listener != null) {
                listener.neighbourResolved(0, key, senderMac);
            }
        } else if (learned == NeighbourTable.CONFLICT) {
            conflicts++;
            probe(senderIp, key, now());
        }
        if (requestForUs) {
            send(ArpPacket.REPLY, senderMac, targetIp, senderMac, senderIp);
            requestsAnswered++;
        } else if (learned == NeighbourTable.LEARNED || learned == NeighbourTable.CONFIRMED) {
            if (operation == ArpPacket.REPLY && isOurs(targetIp)) {
                repliesReceived++;
            } else {
                announcementsAccepted++;
            }
        } else if (learned == NeighbourTable.CONFLICT) {
            drops.add(ArpDrop.CONFLICTING_MAC);
        } else if (operation == ArpPacket.REPLY && isOurs(targetIp)) {
            drops.add(ArpDrop.UNSOLICITED_REPLY);
        } else {
            drops.add(ArpDrop.NOT_FOR_US);
        }
    }

    /**
     * The MAC of an IPv4 neighbour, sending a (rate-limited) broadcast request when unknown.
     *
     * @param ipv4 the neighbour's address
     * @return its {@code long} MAC, or {@link MacAddress#NONE} while unresolved
     */
    public long resolve(int ipv4) {
        long now = now();
        long key = NeighbourTable.ipv4Key(ipv4);
        long known = table.lookup(0, key, now);
        if (known != MacAddress.NONE) {
            probe(ipv4, key, now);
            return known;
        }
        if (addresses.length > 0 && table.requestDue(0, key, now, REQUEST_INTERVAL_NANOS)) {
            send(ArpPacket.REQUEST, MacAddress.BROADCAST_VALUE, addresses[0], 0, ipv4);
            requestsSent++;
        }
        return MacAddress.NONE;
    }

    /** Probes a neighbour being revalidated, if a probe is due: unicast to the MAC we have, the first also by broadcast. */
    private void probe(int ipv4, long key, long now) {
        if (addresses.length == 0) {
            return;
        }
        int due = table.probeDue(0, key, now);
        if (due == NeighbourTable.NO_PROBE) {
            return;
        }
        long old = table.lookup(0, key, now);
        if (old != MacAddress.NONE) {
            send(ArpPacket.REQUEST, old, addresses[0], old, ipv4);
            requestsSent++;
            probesSent++;
        }
        if (due == NeighbourTable.FIRST_PROBE) {
            send(ArpPacket.REQUEST, MacAddress.BROADCAST_VALUE, addresses[0], 0, ipv4);
            requestsSent++;
        }
    }

    /** Loopback, multicast, class E and the limited broadcast: never an ARP sender. */
    private static boolean impossibleSender(int ipv4) {
        int first = ipv4 >>> 24;
        return first == 127 || first >= 224;
    }

    /**
     * Sends a gratuitous ARP request for each of our addresses (sender = target = our address,
     * broadcast), so neighbours update their caches.
     */
    public void announce() {
        for (int a : addresses) {
            send(ArpPacket.REQUEST, MacAddress.BROADCAST_VALUE, a, 0, a);
            requestsSent++;
        }
    }

    private void send(int operation, long frameDestination, int senderIp, long targetMac, int targetIp) {
        PacketTransport t = ethernet.transport();
        if (t == null) {
            drops.add(ArpDrop.WRITE_FAILED);
            return;
        }
        frame.clear();
        EthernetHeader.write(frame, 0, frameDestination, mac, EthernetHeader.TYPE_ARP);
        out.set(operation, mac, senderIp, targetMac, targetIp);
        // Zero the Ethernet padding up to the 60-byte minimum frame.
        for (int i = EthernetHeader.LENGTH + ArpPacket.LENGTH; i < EthernetHeader.MIN_FRAME_LENGTH; i++) {
            frame.put(i, (byte) 0);
        }
        frame.limit(EthernetHeader.MIN_FRAME_LENGTH).position(0);
        try {
            if (t.write(frame) == 0) {
                drops.add(ArpDrop.WRITE_FAILED);
            }
        } catch (IOException e) {
            drops.add(ArpDrop.WRITE_FAILED);
            LOG.debug("{}: ARP write failed", logPrefix(), e);
        }
    }

    /**
     * The drop counters, one per {@link ArpDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<ArpDrop> drops() {
        return drops;
    }

    /**
     * ARP packets handed to this protocol.
     *
     * @return the count
     */
    public long packetsReceived() {
        return packetsReceived;
    }

    /**
     * Packets not addressed to us (gratuitous ARP, requests for others) that confirmed a known
     * neighbour or answered a request of ours.
     *
     * @return the count
     */
    public long announcementsAccepted() {
        return announcementsAccepted;
    }

    /**
     * Packets that gave a different MAC for a resolved neighbour (the entry was kept and revalidated).
     *
     * @return the count
     */
    public long conflicts() {
        return conflicts;
    }

    /**
     * Unicast probes sent to the MAC we have for a neighbour whose MAC was contradicted.
     *
     * @return the count
     */
    public long probesSent() {
        return probesSent;
    }

    /**
     * Requests for our addresses that were answered.
     *
     * @return the count
     */
    public long requestsAnswered() {
        return requestsAnswered;
    }

    /**
     * Requests sent (resolution and gratuitous).
     *
     * @return the count
     */
    public long requestsSent() {
        return requestsSent;
    }

    /**
     * Replies addressed to us that were taken (answers to our requests, or confirmations).
     *
     * @return the count
     */
    public long repliesReceived() {
        return repliesReceived;
    }
}
