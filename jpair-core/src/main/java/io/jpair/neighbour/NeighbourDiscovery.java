package io.jpair.neighbour;

import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IPProtocol;
import io.jpair.ip.IcmpDrop;
import io.jpair.ip.IcmpHeader;
import io.jpair.ip.Icmpv6Protocol;
import io.jpair.ip.IpLink;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv6Header;
import io.jpair.ip.RawDatagramProtocol;
import io.jpair.reactor.ReactorTime;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * IPv6 neighbour discovery (RFC 4861) for a host on an Ethernet link, IPv6's ARP: answers
 * neighbour solicitations for our addresses with advertisements carrying our MAC, learns
 * neighbours from solicitations and advertisements, resolves neighbours for outgoing packets
 * ({@link #resolve}), and announces our addresses with unsolicited advertisements
 * ({@link #announce()}). It takes the solicitations and advertisements of an
 * {@link Icmpv6Protocol}, which verified their checksum, and counts its drops in that protocol's
 * counters, so each ICMPv6 message still ends in exactly one ICMPv6 counter:
 *
 * <pre>{@code
 * Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, reactor);
 * NeighbourDiscovery nd = new NeighbourDiscovery(ip, icmpv6, mac, reactor);   // registers itself on icmpv6
 * }</pre>
 *
 * <p>Messages must arrive with hop limit 255 and code 0. Neighbours are learned by
 * {@link NeighbourTable#offer}'s rules: a solicited advertisement is an answer, taken only for an
 * address we solicited; an unsolicited one never adds an entry (RFC 4861 section 7.2.5,
 * {@link IcmpDrop#UNSOLICITED_ADVERTISEMENT}); a solicitation for our address adds its sender
 * only if unknown and the cache has room without evicting a neighbour in use. A different MAC for
 * a resolved neighbour, from any message, is not taken: the old MAC stays in use and is probed
 * by a unicast solicitation to the neighbour (plus one to its solicited-node group), as RFC 4861's
 * PROBE state does; only if it stays silent for {@value NeighbourTable#MAX_PROBES} s does an
 * answer with the new MAC replace it. A forged solicitation or advertisement in the name of a live
 * neighbour therefore changes nothing. Solicitations are limited per address (one per
 * {@link #SOLICIT_INTERVAL_NANOS}) and for the whole cache
 * ({@link NeighbourTable#requestsPerSecond()}).
 * Messages are built in a preallocated direct buffer of its own (a resolution can happen while an
 * echo reply is being sent): nothing is allocated per message. With {@link MacAddress#NONE} as our
 * MAC (a TUN link) every message is dropped as {@link IcmpDrop#NO_LINK_LAYER}.
 *
 * <p>Time comes only from the clock given at construction (the reactor's). Reactor thread only.
 */
public final class NeighbourDiscovery implements RawDatagramProtocol {
    /** Minimum time between two solicitations for the same address: 1 s. */
    public static final long SOLICIT_INTERVAL_NANOS = 1_000_000_000L;

    private static final int ND_MESSAGE_LENGTH = IcmpHeader.ND_LENGTH + 8;
    /** {@link #linkAddressOption}'s answer for malformed options (no MAC is negative but NONE). */
    private static final long MALFORMED = -2;

    private final IPProtocol ip;
    private final long mac;
    private final NeighbourTable table;
    private final DropCounter<IcmpDrop> drops;
    private final IcmpHeader in = new IcmpHeader();
    private final IcmpHeader reply = new IcmpHeader();
    private final ByteBuffer ndOut = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + ND_MESSAGE_LENGTH);
    // Probes are sent from inside resolve(), which may run while ndOut is being sent: their own buffer.
    private final ByteBuffer probeOut = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + ND_MESSAGE_LENGTH);
    private final ReactorTime clock;
    private NeighbourListener listener;
    private long solicitationsAnswered;
    private long advertisementsAccepted;
    private long conflicts;
    private long advertisementsSent;
    private long solicitationsSent;
    private long probesSent;

    /**
     * Neighbour discovery for the station {@code mac}, taking {@code icmpv6}'s neighbour messages
     * from now on ({@link Icmpv6Protocol#neighbourDiscovery}).
     *
     * @param ip the IP protocol it sends through and whose addresses it defends
     * @param icmpv6 the ICMPv6 protocol it is fed by and counts into
     * @param mac our MAC, or {@link MacAddress#NONE} on a link without one (TUN)
     * @param clock the reactor's clock, for cache ages and solicitation intervals
     */
    public NeighbourDiscovery(IPProtocol ip, Icmpv6Protocol icmpv6, long mac, ReactorTime clock) {
        this(ip, icmpv6, mac, clock, new NeighbourTable());
    }

    /**
     * Neighbour discovery with a given neighbour cache.
     *
     * @param ip the IP protocol
     * @param icmpv6 the ICMPv6 protocol
     * @param mac our MAC, or {@link MacAddress#NONE}
     * @param clock the reactor's clock
     * @param table the neighbour cache
     */
    public NeighbourDiscovery(IPProtocol ip, Icmpv6Protocol icmpv6, long mac, ReactorTime clock,
            NeighbourTable table) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.mac = mac;
        this.table = Objects.requireNonNull(table, "table");
        this.drops = icmpv6.drops();
        icmpv6.neighbourDiscovery(this);
    }

    /**
     * Sets who is told when a neighbour is resolved.
     *
     * @param resolved the listener, or {@code null}
     * @return this
     */
    public NeighbourDiscovery listener(NeighbourListener resolved) {
        this.listener = resolved;
        return this;
    }

    /**
     * The neighbour cache.
     *
     * @return the table
     */
    public NeighbourTable table() {
        return table;
    }

    private long now() {
        return clock.nanoTime();
    }

    /**
     * One neighbour solicitation or advertisement, checksum already verified. Never throws for
     * anything the wire can send.
     *
     * @param payload the ICMPv6 message between position and limit; borrowed
     * @param packet the IPv6 packet it came in
     */
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet) {
        int start = payload.position();
        int length = payload.limit() - start;
        in.wrap(payload, start);
        if (in.type() == IcmpHeader.V6_NEIGHBOR_SOLICITATION) {
            solicitation(payload, start, length, packet);
        } else if (in.type() == IcmpHeader.V6_NEIGHBOR_ADVERTISEMENT) {
            advertisement(payload, start, length, packet);
        } else {
            drops.add(IcmpDrop.UNHANDLED_TYPE);
        }
    }

    private boolean validNeighbourDiscovery(int length, IpPacket packet) {
        if (packet.hopLimit() != 255 || in.code() != 0 || length < IcmpHeader.ND_LENGTH
                || Ipv6Header.isMulticast(in.targetHigh())) {
            drops.add(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY);
            return false;
        }
        if (mac == MacAddress.NONE) {
            drops.add(IcmpDrop.NO_LINK_LAYER);
            return false;
        }
        return true;
    }

    /**
     * The MAC in the first option of {@code type}, {@link MacAddress#NONE} if absent, or
     * {@link #MALFORMED} (counted as {@link IcmpDrop#INVALID_NEIGHBOR_DISCOVERY}) if the options
     * are cut or of length zero.
     */
    private long linkAddressOption(ByteBuffer buffer, int start, int length, int type) {
        int at = start + IcmpHeader.ND_OPTIONS_OFFSET;
        int end = start + length;
        long found = MacAddress.NONE;
        while (end - at >= 2) {
            int optionType = NetworkOrder.u8(buffer, at);
            int optionLength = NetworkOrder.u8(buffer, at + 1) * 8;
            if (optionLength == 0 || optionLength > end - at) {
                drops.add(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY);
                return MALFORMED;
            }
            if (optionType == type && optionLength == 8 && found == MacAddress.NONE) {
                found = MacAddress.get(buffer, at + 2);
            }
            at += optionLength;
        }
        return found;
    }

    private void solicitation(ByteBuffer payload, int start, int length, IpPacket packet) {
        if (!validNeighbourDiscovery(length, packet)) {
            return;
        }
        long th = in.targetHigh();
        long tl = in.targetLow();
        if (!ip.isLocalIpv6(th, tl)) {
            drops.add(IcmpDrop.NOT_OUR_TARGET);
            return;
        }
        long source = linkAddressOption(payload, start, length, IcmpHeader.OPTION_SOURCE_LINK_ADDRESS);
        if (source == MALFORMED) {
            return;
        }
        long sh = packet.sourceHigh();
        long sl = packet.sourceLow();
        boolean unspecified = sh == 0 && sl == 0;
        if (unspecified) {
            // Duplicate address detection for one of our addresses: defend it to all nodes.
            answer(th, tl, Ipv6Header.ALL_NODES_HIGH, Ipv6Header.ALL_NODES_LOW, IcmpHeader.FLAG_OVERRIDE);
            return;
        }
        long learned = source != MacAddress.NONE ? source : packet.linkSource();
        int outcome = NeighbourTable.UNKNOWN;
        if (learned != MacAddress.NONE && !MacAddress.isGroup(learned)) {
            outcome = table.offer(sh, sl, learned, now(), NeighbourTable.REQUEST);
            if (outcome == NeighbourTable.CONFLICT) {
                conflicts++;
                probe(sh, sl, now());
            } else if (outcome != NeighbourTable.UNKNOWN && listener != null) {
                listener.neighbourResolved(sh, sl, learned);
            }
        }
        answer(th, tl, sh, sl, IcmpHeader.FLAG_SOLICITED | IcmpHeader.FLAG_OVERRIDE);
        if (outcome == NeighbourTable.LEARNED) {
            // Our advertisement looked the asker up: that is no traffic of ours, so it stays evictable.
            table.idle(sh, sl);
        }
    }

    /** Answers a solicitation for our address {@code th:tl} with an advertisement to {@code dh:dl}. */
    private void answer(long th, long tl, long dh, long dl, int flags) {
        if (advertise(th, tl, dh, dl, flags)) {
            solicitationsAnswered++;
        } else {
            drops.add(IcmpDrop.SEND_FAILED);
        }
    }

    private void advertisement(ByteBuffer payload, int start, int length, IpPacket packet) {
        if (!validNeighbourDiscovery(length, packet)) {
            return;
        }
        long target = linkAddressOption(payload, start, length, IcmpHeader.OPTION_TARGET_LINK_ADDRESS);
        if (target == MALFORMED) {
            return;
        }
        long th = in.targetHigh();
        long tl = in.targetLow();
        if (target == MacAddress.NONE) {
            target = packet.linkSource();
        }
        if (target == MacAddress.NONE || MacAddress.isGroup(target)) {
            drops.add(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY);
            return;
        }
        if (ip.isLocalIpv6(th, tl)) {
            drops.add(IcmpDrop.FOR_OUR_ADDRESS);
            return;
        }
        int kind = (in.flags() & IcmpHeader.FLAG_SOLICITED) != 0 ? NeighbourTable.ANSWER : NeighbourTable.HEARSAY;
        switch (table.offer(th, tl, target, now(), kind)) {
            case NeighbourTable.LEARNED, NeighbourTable.CONFIRMED -> {
                advertisementsAccepted++;
                if (listener != null) {
                    listener.neighbourResolved(th, tl, target);
                }
            }
            case NeighbourTable.CONFLICT -> {
                conflicts++;
                drops.add(IcmpDrop.NEIGHBOR_CONFLICT);
                probe(th, tl, now());
            }
            default -> drops.add(IcmpDrop.UNSOLICITED_ADVERTISEMENT);
        }
    }

    private boolean advertise(long th, long tl, long dh, long dl, int flags) {
        advertisementsSent++;
        return writeNeighbourMessage(ndOut, IcmpHeader.V6_NEIGHBOR_ADVERTISEMENT, flags, th, tl, th, tl, dh, dl,
            IcmpHeader.OPTION_TARGET_LINK_ADDRESS);
    }

    /** Builds and sends one neighbour message; a failure is counted by the IP layer only. */
    private boolean writeNeighbourMessage(ByteBuffer ndOut, int type, int flags, long sh, long sl, long th, long tl, long dh, long dl,
            int option) {
        ndOut.clear();
        int at = IpLink.HEADROOM;
        Ipv6Header.write(ndOut, at, ND_MESSAGE_LENGTH, IPProtocol.ICMPV6, 255, sh, sl, dh, dl);
        int icmp = at + Ipv6Header.LENGTH;
        reply.wrap(ndOut, icmp).type(type).code(0).flags(flags).target(th, tl);
        NetworkOrder.u8(ndOut, icmp + IcmpHeader.ND_OPTIONS_OFFSET, option);
        NetworkOrder.u8(ndOut, icmp + IcmpHeader.ND_OPTIONS_OFFSET + 1, 1);
        MacAddress.put(ndOut, icmp + IcmpHeader.ND_OPTIONS_OFFSET + 2, mac);
        reply.computeChecksum(ND_MESSAGE_LENGTH,
            InternetChecksum.pseudoHeaderIpv6(sh, sl, dh, dl, IPProtocol.ICMPV6, ND_MESSAGE_LENGTH));
        return ip.send(ndOut, at, Ipv6Header.LENGTH + ND_MESSAGE_LENGTH);
    }

    /**
     * The MAC of an IPv6 neighbour, sending a (rate-limited) solicitation to its solicited-node
     * multicast address when unknown.
     *
     * @param high high 64 bits of the neighbour's address
     * @param low low 64 bits
     * @return its {@code long} MAC, or {@link MacAddress#NONE} while unresolved
     */
    public long resolve(long high, long low) {
        long now = now();
        long known = table.lookup(high, low, now);
        if (known != MacAddress.NONE) {
            probe(high, low, now);
            return known;
        }
        if (mac != MacAddress.NONE && table.requestDue(high, low, now, SOLICIT_INTERVAL_NANOS)) {
            writeNeighbourMessage(probeOut, IcmpHeader.V6_NEIGHBOR_SOLICITATION, 0, ip.primaryIpv6High(), ip.primaryIpv6Low(),
                high, low, Ipv6Header.ALL_NODES_HIGH, Ipv6Header.solicitedNodeLow(low),
                IcmpHeader.OPTION_SOURCE_LINK_ADDRESS);
            solicitationsSent++;
        }
        return MacAddress.NONE;
    }

    /**
     * Probes a neighbour being revalidated, if a probe is due: a solicitation to its unicast
     * address (which the link sends to the MAC we have), the first also to its solicited-node
     * group.
     */
    private void probe(long high, long low, long now) {
        if (mac == MacAddress.NONE) {
            return;
        }
        int due = table.probeDue(high, low, now);
        if (due == NeighbourTable.NO_PROBE) {
            return;
        }
        long sh = ip.primaryIpv6High();
        long sl = ip.primaryIpv6Low();
        writeNeighbourMessage(probeOut, IcmpHeader.V6_NEIGHBOR_SOLICITATION, 0, sh, sl, high, low, high, low,
            IcmpHeader.OPTION_SOURCE_LINK_ADDRESS);
        solicitationsSent++;
        probesSent++;
        if (due == NeighbourTable.FIRST_PROBE) {
            writeNeighbourMessage(probeOut, IcmpHeader.V6_NEIGHBOR_SOLICITATION, 0, sh, sl, high, low,
                Ipv6Header.ALL_NODES_HIGH, Ipv6Header.solicitedNodeLow(low), IcmpHeader.OPTION_SOURCE_LINK_ADDRESS);
            solicitationsSent++;
        }
    }

    /**
     * Unicast solicitations sent to a neighbour whose MAC was contradicted (revalidation probes).
     *
     * @return the count
     */
    public long probesSent() {
        return probesSent;
    }

    /**
     * Sends an unsolicited neighbour advertisement (override flag, our MAC) for each of our IPv6
     * addresses to all nodes, so neighbours learn or update our MAC.
     */
    public void announce() {
        if (mac == MacAddress.NONE) {
            return;
        }
        long[] addresses = ip.ipv6Addresses();
        for (int i = 0; i < addresses.length; i += 2) {
            advertise(addresses[i], addresses[i + 1], Ipv6Header.ALL_NODES_HIGH, Ipv6Header.ALL_NODES_LOW,
                IcmpHeader.FLAG_OVERRIDE);
        }
    }

    /**
     * Neighbour solicitations for our addresses answered (including duplicate address detection).
     *
     * @return the count
     */
    public long solicitationsAnswered() {
        return solicitationsAnswered;
    }

    /**
     * Neighbour advertisements taken: answers to our solicitations, or a known neighbour
     * confirming its MAC.
     *
     * @return the count
     */
    public long advertisementsAccepted() {
        return advertisementsAccepted;
    }

    /**
     * Solicitations or advertisements that gave a different MAC for a resolved neighbour (the
     * entry was kept and revalidated by probes).
     *
     * @return the count
     */
    public long conflicts() {
        return conflicts;
    }

    /**
     * Neighbour advertisements sent (solicited, unsolicited and DAD defence).
     *
     * @return the count
     */
    public long advertisementsSent() {
        return advertisementsSent;
    }

    /**
     * Neighbour solicitations sent.
     *
     * @return the count
     */
    public long solicitationsSent() {
        return solicitationsSent;
    }
}
