package io.jpair.ip;

import io.jpair.ethernet.MacAddress;
import io.jpair.ethernet.NeighbourListener;
import io.jpair.ethernet.NeighbourTable;
import io.jpair.reactor.ReactorTime;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ICMPv6 (RFC 4443) with neighbour discovery (RFC 4861) for a host: answers echo requests, answers
 * neighbour solicitations for our addresses with advertisements carrying our MAC, learns
 * neighbours from solicitations and advertisements, resolves neighbours for outgoing packets
 * ({@link #resolve}), and announces our addresses with unsolicited advertisements
 * ({@link #announce()}). Register it for protocol 58:
 *
 * <pre>{@code
 * Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, mac);   // mac = MacAddress.NONE on TUN: echo only
 * ip.addProto(IPProtocol.ICMPV6, icmpv6);
 * }</pre>
 *
 * <p>Every message's checksum is verified with the IPv6 pseudo-header; neighbour discovery
 * messages must arrive with hop limit 255. Neighbours are learned by {@link NeighbourTable#offer}'s
 * rule: an advertisement is taken only for an address we solicited or a neighbour we know
 * (RFC 4861 section 7.2.5: unsolicited ones for unknown targets are discarded,
 * {@link IcmpDrop#UNSOLICITED_ADVERTISEMENT}); a solicitation for our address adds its sender; a
 * different MAC for a resolved neighbour is not taken but triggers a new solicitation. Echo
 * requests to multicast groups are not answered unless {@link #answerMulticast(boolean)}, and
 * echo replies are limited by a {@link TokenBucket}. Replies are built in a preallocated direct buffer:
 * nothing is allocated per message. Router discovery, MLD and error messages are counted as
 * {@link IcmpDrop#UNHANDLED_TYPE}.
 *
 * <p>Reactor thread only.
 */
public final class Icmpv6Protocol implements RawDatagramProtocol {
    /** Minimum time between two solicitations for the same address: 1 s. */
    public static final long SOLICIT_INTERVAL_NANOS = 1_000_000_000L;

    private static final int ND_MESSAGE_LENGTH = IcmpHeader.ND_LENGTH + 8;

    private final IPProtocol ip;
    private final long mac;
    private final NeighbourTable table;
    private final IcmpHeader in = new IcmpHeader();
    private final IcmpHeader reply = new IcmpHeader();
    private final ByteBuffer out = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + 65535);
    // Separate from out: resolve() runs inside a send of an echo reply built in out.
    private final ByteBuffer ndOut = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv6Header.LENGTH + ND_MESSAGE_LENGTH);
    private final DropCounter<IcmpDrop> drops = new DropCounter<>(IcmpDrop.class, Icmpv6Protocol.class);
    private ReactorTime clock;
    private TokenBucket rateLimit = TokenBucket.defaults();
    private boolean answerMulticast;
    private NeighbourListener listener;
    private long messagesReceived;
    private long solicitationsAnswered;
    private long advertisementsAccepted;
    private long conflicts;
    private long echoRequests;
    private long echoReplies;
    private long advertisementsSent;
    private long solicitationsSent;

    /**
     * ICMPv6 for a host with MAC {@code mac}.
     *
     * @param ip the IP protocol this one is registered on and replies through
     * @param mac our MAC, or {@link MacAddress#NONE} on a link without one (TUN): neighbour
     *     discovery is then ignored
     */
    public Icmpv6Protocol(IPProtocol ip, long mac) {
        this(ip, mac, new NeighbourTable());
    }

    /**
     * ICMPv6 with a given neighbour cache.
     *
     * @param ip the IP protocol
     * @param mac our MAC, or {@link MacAddress#NONE}
     * @param table the neighbour cache
     */
    public Icmpv6Protocol(IPProtocol ip, long mac, NeighbourTable table) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.mac = mac;
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Sets the time source for neighbour cache ages (the reactor); {@link System#nanoTime()}
     * until set.
     *
     * @param clock the clock
     * @return this
     */
    public Icmpv6Protocol clock(ReactorTime clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Sets the limit on echo replies.
     *
     * @param bucket the bucket (share one with {@link IcmpProtocol} for a per-host limit), or
     *     {@link TokenBucket#unlimited()}
     * @return this
     */
    public Icmpv6Protocol rateLimit(TokenBucket bucket) {
        this.rateLimit = Objects.requireNonNull(bucket, "bucket");
        return this;
    }

    /**
     * Whether echo requests to a multicast address (all-nodes, our solicited-node group) are
     * answered, from our primary address. Off by default (no amplification).
     *
     * @param answer true to answer
     * @return this
     */
    public Icmpv6Protocol answerMulticast(boolean answer) {
        this.answerMulticast = answer;
        return this;
    }

    /**
     * Sets who is told when a neighbour is resolved.
     *
     * @param listener the listener, or {@code null}
     * @return this
     */
    public Icmpv6Protocol listener(NeighbourListener listener) {
        this.listener = listener;
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
        return clock != null ? clock.nanoTime() : System.nanoTime();
    }

    /**
     * One ICMPv6 message. Never throws.
     *
     * @param payload the message; borrowed
     * @param packet the IPv6 packet it came in
     */
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet) {
        messagesReceived++;
        int start = payload.position();
        int length = payload.limit() - start;
        if (packet.version() != 6) {
            drops.add(IcmpDrop.UNHANDLED_TYPE);
            return;
        }
        if (length < IcmpHeader.LENGTH) {
            drops.add(IcmpDrop.TRUNCATED);
            return;
        }
        in.wrap(payload, start);
        if (!in.checksumValid(length, packet.pseudoHeaderSum(IPProtocol.ICMPV6, length))) {
            drops.add(IcmpDrop.BAD_CHECKSUM);
            return;
        }
        switch (in.type()) {
            case IcmpHeader.V6_ECHO_REQUEST -> echo(payload, start, length, packet);
            case IcmpHeader.V6_NEIGHBOR_SOLICITATION -> solicitation(payload, start, length, packet);
            case IcmpHeader.V6_NEIGHBOR_ADVERTISEMENT -> advertisement(payload, start, length, packet);
            default -> drops.add(IcmpDrop.UNHANDLED_TYPE);
        }
    }

    private void echo(ByteBuffer payload, int start, int length, IpPacket packet) {
        echoRequests++;
        long dh = packet.destinationHigh();
        long dl = packet.destinationLow();
        if (!ip.isLocalIpv6(dh, dl)) {
            if (!answerMulticast || !Ipv6Header.isMulticast(dh) || ip.ipv6Addresses().length == 0) {
                drops.add(IcmpDrop.NOT_ANSWERED);
                return;
            }
            dh = ip.primaryIpv6High();
            dl = ip.primaryIpv6Low();
        }
        if (!rateLimit.tryTake(now())) {
            drops.add(IcmpDrop.RATE_LIMITED);
            return;
        }
        out.clear();
        int at = IpLink.HEADROOM;
        long sh = packet.sourceHigh();
        long sl = packet.sourceLow();
        Ipv6Header.write(out, at, length, IPProtocol.ICMPV6, IPProtocol.DEFAULT_TTL, dh, dl, sh, sl);
        out.put(at + Ipv6Header.LENGTH, payload, start, length);
        reply.wrap(out, at + Ipv6Header.LENGTH).type(IcmpHeader.V6_ECHO_REPLY)
            .computeChecksum(length, InternetChecksum.pseudoHeaderIpv6(dh, dl, sh, sl, IPProtocol.ICMPV6, length));
        if (ip.send(out, at, Ipv6Header.LENGTH + length)) {
            echoReplies++;
        } else {
            drops.add(IcmpDrop.SEND_FAILED);
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

    /** The MAC in the first option of {@code type}, {@link MacAddress#NONE} if absent, -2 if malformed. */
    private static long linkAddressOption(ByteBuffer buffer, int start, int length, int type) {
        int at = start + IcmpHeader.ND_OPTIONS_OFFSET;
        int end = start + length;
        long found = MacAddress.NONE;
        while (end - at >= 2) {
            int optionType = NetworkOrder.u8(buffer, at);
            int optionLength = NetworkOrder.u8(buffer, at + 1) * 8;
            if (optionLength == 0 || optionLength > end - at) {
                return -2;
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
        if (source == -2) {
            drops.add(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY);
            return;
        }
        long sh = packet.sourceHigh();
        long sl = packet.sourceLow();
        boolean unspecified = sh == 0 && sl == 0;
        if (unspecified) {
            // Duplicate address detection for one of our addresses: defend it to all nodes.
            if (advertise(th, tl, Ipv6Header.ALL_NODES_HIGH, Ipv6Header.ALL_NODES_LOW, IcmpHeader.FLAG_OVERRIDE)) {
                solicitationsAnswered++;
            } else {
                drops.add(IcmpDrop.SEND_FAILED);
            }
            return;
        }
        long learned = source != MacAddress.NONE ? source : packet.linkSource();
        if (learned != MacAddress.NONE && !MacAddress.isGroup(learned)) {
            int outcome = table.offer(sh, sl, learned, now(), true);
            if (outcome == NeighbourTable.CONFLICT) {
                conflicts++;
            } else if (listener != null) {
                listener.neighbourResolved(sh, sl, learned);
            }
        }
        if (advertise(th, tl, sh, sl, IcmpHeader.FLAG_SOLICITED | IcmpHeader.FLAG_OVERRIDE)) {
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
        if (target == -2) {
            drops.add(IcmpDrop.INVALID_NEIGHBOR_DISCOVERY);
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
        switch (table.offer(th, tl, target, now(), false)) {
            case NeighbourTable.LEARNED, NeighbourTable.CONFIRMED -> {
                advertisementsAccepted++;
                if (listener != null) {
                    listener.neighbourResolved(th, tl, target);
                }
            }
            case NeighbourTable.CONFLICT -> {
                conflicts++;
                drops.add(IcmpDrop.NEIGHBOR_CONFLICT);
            }
            default -> drops.add(IcmpDrop.UNSOLICITED_ADVERTISEMENT);
        }
    }

    private boolean advertise(long th, long tl, long dh, long dl, int flags) {
        advertisementsSent++;
        return writeNeighbourMessage(IcmpHeader.V6_NEIGHBOR_ADVERTISEMENT, flags, th, tl, th, tl, dh, dl,
            IcmpHeader.OPTION_TARGET_LINK_ADDRESS);
    }

    /** Builds and sends one neighbour message; a failure is counted by the IP layer only. */
    private boolean writeNeighbourMessage(int type, int flags, long sh, long sl, long th, long tl, long dh, long dl,
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
            return known;
        }
        if (mac != MacAddress.NONE && table.requestDue(high, low, now, SOLICIT_INTERVAL_NANOS)) {
            writeNeighbourMessage(IcmpHeader.V6_NEIGHBOR_SOLICITATION, 0, ip.primaryIpv6High(), ip.primaryIpv6Low(),
                high, low, Ipv6Header.ALL_NODES_HIGH, Ipv6Header.solicitedNodeLow(low),
                IcmpHeader.OPTION_SOURCE_LINK_ADDRESS);
            solicitationsSent++;
        }
        return MacAddress.NONE;
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
     * The drop counters, one per {@link IcmpDrop} reason.
     *
     * @return the live counters
     */
    public DropCounter<IcmpDrop> drops() {
        return drops;
    }

    /**
     * ICMPv6 messages handed to this protocol. Each ends in exactly one of: an echo reply, an
     * answered solicitation, an accepted advertisement, a drop reason.
     *
     * @return the count
     */
    public long messagesReceived() {
        return messagesReceived;
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
     * entry was made incomplete, to be resolved again).
     *
     * @return the count
     */
    public long conflicts() {
        return conflicts;
    }

    /**
     * Valid echo requests received.
     *
     * @return the count
     */
    public long echoRequests() {
        return echoRequests;
    }

    /**
     * Echo replies sent.
     *
     * @return the count
     */
    public long echoReplies() {
        return echoReplies;
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
