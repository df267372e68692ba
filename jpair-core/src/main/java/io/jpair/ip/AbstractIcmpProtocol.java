package io.jpair.ip;

import io.jpair.reactor.ReactorTime;
import io.jpair.wire.DropCounter;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ICMP for one IP version: what ICMPv4 ({@link IcmpProtocol}) and ICMPv6 ({@link Icmpv6Protocol})
 * share, written once: the length and checksum checks (ICMPv6's over the pseudo-header), the
 * counters, and the echo responder, so "ping" is answered by the same rules over both versions.
 * A subclass only says which message types it handles.
 *
 * <p><b>Echo replies.</b> A reply is built in a preallocated direct buffer: a fresh IP header from
 * the address {@link IPProtocol#selectSource} chooses (TTL / hop limit
 * {@value IPProtocol#DEFAULT_TTL}, IPv4 options not echoed), then the request's message with the
 * reply type and a new checksum: the request is copied once, into the buffer where the headers
 * are built, and nothing is allocated. Requests to a broadcast or multicast address are not
 * answered ({@link IcmpDrop#NOT_ANSWERED}, as Linux's {@code icmp_echo_ignore_broadcasts=1})
 * unless the subclass's switch allows it, nor requests from the unspecified address (0.0.0.0, ::),
 * whose reply would have nowhere to go. Replies are not rate-limited unless a {@link TokenBucket}
 * is set ({@link #rateLimit}; Linux limits errors, not echo replies), refused ones counted as
 * {@link IcmpDrop#RATE_LIMITED}. Martian sources never get here: {@link IPProtocol}
 * drops them.
 *
 * <p>Time comes only from the clock given at construction, the reactor's (an {@code IpHost} gives
 * the reactor of the port it is attached to). Reactor thread only.
 */
public abstract sealed class AbstractIcmpProtocol implements RawDatagramProtocol permits IcmpProtocol, Icmpv6Protocol {
    private final IPProtocol ip;
    private final int version;
    private final int protocolNumber;
    private final int echoReplyType;
    private final int ipHeaderLength;
    private final DropCounter<IcmpDrop> drops;
    private final IcmpHeader message = new IcmpHeader();
    private final IcmpHeader reply = new IcmpHeader();
    private final SourceAddress source = new SourceAddress();
    private final ByteBuffer out;
    private final ReactorTime clock;
    private TokenBucket rateLimit = TokenBucket.unlimited();
    private static final int[] PLATEAUS = {32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private TokenBucket errorLimit = TokenBucket.defaults();
    private final IcmpError received = new IcmpError();
    private long errorsSent;
    private long errorsReceived;
    private long errorsSuppressed;
    private boolean answerGroup;
    private long messagesReceived;
    private long echoRequests;
    private long echoReplies;

    AbstractIcmpProtocol(IPProtocol ip, ReactorTime clock, int version, Class<?> owner) {
        this.ip = Objects.requireNonNull(ip, "ip");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.version = version;
        this.protocolNumber = version == 4 ? IPProtocol.ICMP : IPProtocol.ICMPV6;
        this.echoReplyType = version == 4 ? IcmpHeader.ECHO_REPLY : IcmpHeader.V6_ECHO_REPLY;
        this.ipHeaderLength = version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
        this.drops = new DropCounter<>(IcmpDrop.class, owner);
        int largest = version == 4 ? Ipv4Header.MAX_TOTAL_LENGTH : Ipv6Header.LENGTH + 65535;
        this.out = ByteBuffer.allocateDirect(IpLink.HEADROOM + largest);
        ip.reportErrorsTo(this);
    }

    /**
     * Sends a Parameter Problem about the packet at {@code packet[start, end)} back to its
     * sender (ICMPv4 type 12, RFC 792 and RFC 1122 section 3.2.2.5; ICMPv6 type 4, RFC 4443
     * section 3.4), by the rules of {@link #error}.
     *
     * @param code the code (0: erroneous header field, 1: unrecognized next header, 2:
     *     unrecognized IPv6 option)
     * @param pointer the offset of the offending octet from the start of the IP header
     * @param packet the offending packet
     * @param start where its IP header starts
     * @param end where it ends
     * @param toGroupAllowed whether a packet sent to a multicast group may be answered
     */
    final void parameterProblem(int code, int pointer, ByteBuffer packet, int start, int end, boolean toGroupAllowed) {
        error(version == 4 ? IcmpHeader.PARAMETER_PROBLEM : IcmpHeader.V6_PARAMETER_PROBLEM, code,
            version == 4 ? pointer << 24 : pointer, packet, start, end, toGroupAllowed);
    }

    /**
     * Sends an ICMP error about the packet at {@code packet[start, end)} back to its sender,
     * quoting as much of it as the minimum MTU allows (576 / 1280 bytes in all: RFC 1812 section
     * 4.3.2.3, RFC 4443 section 2.4(c), as Linux), from the address it was sent to.
     *
     * <p>Never sent (RFC 1122 section 3.2.2, RFC 1812 section 4.3.2.7, RFC 4443 section 2.4(e);
     * counted in {@link #errorsSuppressed()}): about a packet that was not sent to one of our
     * unicast addresses (broadcast, multicast; unless {@code toGroupAllowed}, RFC 8200's option
     * action 10), to an unspecified, multicast or class E source, about an ICMP error (or an
     * ICMPv6 redirect), or about an IPv4 fragment other than the first. Errors are limited by one
     * token bucket ({@link IcmpDrop#ERROR_RATE_LIMITED}; Linux's {@code icmp_msgs_per_sec} 1000
     * and {@code icmp_msgs_burst} 50, which its {@code icmp_ratemask} applies to every error
     * type we send).
     *
     * @param type the ICMP type
     * @param code the code
     * @param word the 32-bit field after the checksum (pointer, MTU, or 0)
     * @param packet the offending packet
     * @param start where its IP header starts
     * @param end where it ends
     * @param toGroupAllowed whether a packet sent to a multicast group may be answered
     * @return true if sent
     */
    final boolean error(int type, int code, int word, ByteBuffer packet, int start, int end, boolean toGroupAllowed) {
        int at = IpLink.HEADROOM;
        int quote;
        long pseudoHeader;
        out.clear();
        if (version == 4) {
            int destination = NetworkOrder.i32(packet, start + 16);
            int sender = NetworkOrder.i32(packet, start + 12);
            if (!ip.isLocalIpv4(destination) || sender == 0 || (sender >>> 28) >= 0xE || aboutError(packet, start, end)
                    || (NetworkOrder.u16(packet, start + Ipv4Header.FRAGMENT_OFFSET) & 0x1FFF) != 0) {
                errorsSuppressed++;
                return false;
            }
            quote = Math.min(end - start, 576 - Ipv4Header.MIN_LENGTH - IcmpHeader.LENGTH);
            Ipv4Header.write(out, at, ipHeaderLength + IcmpHeader.LENGTH + quote, ip.nextIdentification(),
                IPProtocol.DEFAULT_TTL, protocolNumber, destination, sender);
            out.putInt(at + ipHeaderLength + 4, word);
            pseudoHeader = 0;
        } else {
            long dstHigh = NetworkOrder.i64(packet, start + 24);
            long dstLow = NetworkOrder.i64(packet, start + 32);
            long srcHigh = NetworkOrder.i64(packet, start + 8);
            long srcLow = NetworkOrder.i64(packet, start + 16);
            boolean group = Ipv6Header.isMulticast(dstHigh);
            if ((srcHigh == 0 && srcLow == 0) || Ipv6Header.isMulticast(srcHigh) || (group && !toGroupAllowed)
                    || aboutError(packet, start, end)) {
                errorsSuppressed++;
                return false;
            }
            long fromHigh = group ? ip.primaryIpv6High() : dstHigh;
            long fromLow = group ? ip.primaryIpv6Low() : dstLow;
            if ((fromHigh == 0 && fromLow == 0) || (!group && !ip.isLocalIpv6(dstHigh, dstLow))) {
                errorsSuppressed++;
                return false;
            }
            quote = Math.min(end - start, 1280 - Ipv6Header.LENGTH - IcmpHeader.LENGTH);
            int length = IcmpHeader.LENGTH + quote;
            Ipv6Header.write(out, at, length, protocolNumber, IPProtocol.DEFAULT_TTL, fromHigh, fromLow, srcHigh,
                srcLow);
            out.putInt(at + ipHeaderLength + 4, word);
            pseudoHeader = InternetChecksum.pseudoHeaderIpv6(fromHigh, fromLow, srcHigh, srcLow, protocolNumber,
                length);
        }
        if (!errorLimit.tryTake(clock.nanoTime())) {
            drops.add(IcmpDrop.ERROR_RATE_LIMITED);
            return false;
        }
        int icmp = at + ipHeaderLength;
        out.put(icmp + IcmpHeader.LENGTH, packet, start, quote);
        reply.wrap(out, icmp).type(type).code(code).computeChecksum(IcmpHeader.LENGTH + quote, pseudoHeader);
        if (ip.send(out, at, ipHeaderLength + IcmpHeader.LENGTH + quote)) {
            errorsSent++;
            return true;
        }
        drops.add(IcmpDrop.SEND_FAILED);
        return false;
    }

    /** Whether the packet is itself an ICMP error (or an ICMPv6 redirect), which no error answers. */
    private boolean aboutError(ByteBuffer packet, int start, int end) {
        if (version == 4) {
            int headerLength = (NetworkOrder.u8(packet, start) & 0xF) * 4;
            if (NetworkOrder.u8(packet, start + Ipv4Header.PROTOCOL_OFFSET) != IPProtocol.ICMP
                    || end - start <= headerLength
                    || (NetworkOrder.u16(packet, start + Ipv4Header.FRAGMENT_OFFSET) & 0x1FFF) != 0) {
                return false;
            }
            int t = NetworkOrder.u8(packet, start + headerLength);
            return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
        }
        int next = NetworkOrder.u8(packet, start + Ipv6Header.NEXT_HEADER_OFFSET);
        int at = start + Ipv6Header.LENGTH;
        for (int count = 0; count < 8 && at + 8 <= end; count++) {
            if (next == Ipv6Header.HOP_BY_HOP || next == Ipv6Header.ROUTING || next == Ipv6Header.DESTINATION_OPTIONS) {
                next = NetworkOrder.u8(packet, at);
                at += (NetworkOrder.u8(packet, at + 1) + 1) * 8;
            } else if (next == Ipv6Header.FRAGMENT) {
                if ((NetworkOrder.u16(packet, at + 2) & 0xFFF8) != 0) {
                    return false;
                }
                next = NetworkOrder.u8(packet, at);
                at += 8;
            } else {
                break;
            }
        }
        if (next != IPProtocol.ICMPV6 || at >= end) {
            return false;
        }
        int t = NetworkOrder.u8(packet, at);
        return t < 128 || t == 137;
    }

    /**
     * An ICMP error message whose checksum is good: checks the quote, lowers the path MTU for a
     * "fragmentation needed" / "packet too big", and hands it to the protocol registered for the
     * quoted protocol number ({@link RawDatagramProtocol#icmpErrorReceived}).
     */
    final void errorReceived(IcmpHeader header, ByteBuffer payload, IpPacket packet) {
        int start = payload.position();
        int end = payload.limit();
        if (!received.wrap(version, header.type(), header.code(), NetworkOrder.i32(payload, start + 4), payload,
                start + IcmpHeader.LENGTH, end, packet)) {
            drops.add(IcmpDrop.BAD_QUOTE);
            return;
        }
        boolean ours = version == 4 ? ip.isLocalIpv4(received.quotedSourceIpv4())
            : ip.isLocalIpv6(received.quotedSourceHigh(), received.quotedSourceLow());
        if (!ours) {
            drops.add(IcmpDrop.NOT_OUR_PACKET);
            return;
        }
        errorsReceived++;
        if (received.isTooBig()) {
            PathMtuCache cache = ip.pathMtu();
            if (version == 4) {
                int reported = received.info() & 0xFFFF;
                if (reported < 68) {
                    reported = plateauBelow(NetworkOrder.u16(payload, received.quotedOffset() + 2));
                }
                reported = Math.max(reported, PathMtuCache.IPV4_MIN_MTU);
                received.mtu(reported);
                if (cache != null) {
                    cache.lowerIpv4(received.quotedDestinationIpv4(), reported);
                }
            } else {
                int reported = Math.max(received.info(), PathMtuCache.IPV6_MIN_MTU);
                received.mtu(reported);
                if (cache != null) {
                    cache.lowerIpv6(received.quotedDestinationHigh(), received.quotedDestinationLow(), reported);
                }
            }
        }
        ip.deliverError(received);
    }

    /** RFC 1191 section 7: the largest plateau below the length of the packet that was too big. */
    private static int plateauBelow(int length) {
        for (int plateau : PLATEAUS) {
            if (plateau < length) {
                return plateau;
            }
        }
        return 68;
    }

    /**
     * ICMP errors received about packets we sent, with a valid quote.
     *
     * @return the count
     */
    public final long errorsReceived() {
        return errorsReceived;
    }

    /**
     * ICMP errors the rules forbade sending (about a broadcast, multicast, ICMP error or non-first
     * fragment, or to a source that is not a unicast host).
     *
     * @return the count
     */
    public final long errorsSuppressed() {
        return errorsSuppressed;
    }

    /**
     * Sets the limit on the errors this protocol sends (the default is Linux's: 1000 a second,
     * bursts of 50).
     *
     * @param bucket the bucket (share one between ICMPv4 and ICMPv6 for a per-host limit, as
     *     Linux), or {@link TokenBucket#unlimited()}
     * @return this
     */
    public AbstractIcmpProtocol errorRateLimit(TokenBucket bucket) {
        this.errorLimit = Objects.requireNonNull(bucket, "bucket");
        return this;
    }

    /**
     * ICMP errors sent (parameter problems, unreachables, reassembly time exceeded).
     *
     * @return the count
     */
    public final long errorsSent() {
        return errorsSent;
    }

    /**
     * Sets the limit on echo replies.
     *
     * @param bucket the bucket (share one between ICMPv4 and ICMPv6 for a per-host limit), or
     *     {@link TokenBucket#unlimited()}
     * @return this
     */
    public AbstractIcmpProtocol rateLimit(TokenBucket bucket) {
        this.rateLimit = Objects.requireNonNull(bucket, "bucket");
        return this;
    }

    void answerGroup(boolean answer) {
        this.answerGroup = answer;
    }

    /**
     * One ICMP message. Never throws for anything the wire can send: a message of the other IP
     * version, a short one or one with a wrong checksum is counted and dropped; the rest goes to
     * the subclass by type.
     *
     * @param payload the ICMP message; borrowed
     * @param packet the IP packet it came in
     */
    @Override
    public final void datagramReceived(ByteBuffer payload, IpPacket packet) {
        messagesReceived++;
        int start = payload.position();
        int length = payload.limit() - start;
        if (packet.version() != version) {
            drops.add(IcmpDrop.UNHANDLED_TYPE);
            return;
        }
        if (length < IcmpHeader.LENGTH) {
            drops.add(IcmpDrop.TRUNCATED);
            return;
        }
        message.wrap(payload, start);
        long pseudoHeader = version == 4 ? 0 : packet.pseudoHeaderSum(protocolNumber, length);
        if (!message.checksumValid(length, pseudoHeader)) {
            drops.add(IcmpDrop.BAD_CHECKSUM);
            return;
        }
        messageReceived(message, payload, packet);
    }

    /**
     * A message whose length and checksum are good.
     *
     * @param header the message's header, wrapped at the payload's position
     * @param payload the whole message between position and limit; borrowed
     * @param packet the IP packet it came in
     */
    abstract void messageReceived(IcmpHeader header, ByteBuffer payload, IpPacket packet);

    /** Answers an echo request (the message between the payload's position and limit). */
    final void echo(ByteBuffer payload, IpPacket packet) {
        echoRequests++;
        boolean fromUnspecified = packet.isIpv4() ? packet.sourceIpv4() == 0
            : packet.sourceHigh() == 0 && packet.sourceLow() == 0;
        if (fromUnspecified || (!ip.selectSource(packet, source) && (!answerGroup || !source.isSpecified()))) {
            drops.add(IcmpDrop.NOT_ANSWERED);
            return;
        }
        if (!rateLimit.tryTake(clock.nanoTime())) {
            drops.add(IcmpDrop.RATE_LIMITED);
            return;
        }
        int start = payload.position();
        int length = payload.limit() - start;
        int at = IpLink.HEADROOM;
        long pseudoHeader;
        out.clear();
        if (version == 4) {
            Ipv4Header.write(out, at, ipHeaderLength + length, ip.nextIdentification(), IPProtocol.DEFAULT_TTL,
                protocolNumber, source.ipv4(), packet.sourceIpv4());
            pseudoHeader = 0;
        } else {
            Ipv6Header.write(out, at, length, protocolNumber, IPProtocol.DEFAULT_TTL, source.high(), source.low(),
                packet.sourceHigh(), packet.sourceLow());
            pseudoHeader = InternetChecksum.pseudoHeaderIpv6(source.high(), source.low(), packet.sourceHigh(),
                packet.sourceLow(), protocolNumber, length);
        }
        out.put(at + ipHeaderLength, payload, start, length);
        reply.wrap(out, at + ipHeaderLength).type(echoReplyType).computeChecksum(length, pseudoHeader);
        if (ip.sendFragmentable(out, at, ipHeaderLength + length)) {
            echoReplies++;
        } else {
            drops.add(IcmpDrop.SEND_FAILED);
        }
    }

    /**
     * The clock the rate limit runs on.
     *
     * @return the reactor's clock this protocol was given
     */
    public final ReactorTime clock() {
        return clock;
    }

    /**
     * The drop counters, one per {@link IcmpDrop} reason (neighbour discovery counts into
     * ICMPv6's).
     *
     * @return the live counters
     */
    public final DropCounter<IcmpDrop> drops() {
        return drops;
    }

    /**
     * ICMP messages handed to this protocol. Each ends in exactly one of: an echo reply, a drop
     * reason, or (ICMPv6) an answered solicitation or accepted advertisement.
     *
     * @return the count
     */
    public final long messagesReceived() {
        return messagesReceived;
    }

    /**
     * Valid echo requests received.
     *
     * @return the count
     */
    public final long echoRequests() {
        return echoRequests;
    }

    /**
     * Echo replies sent.
     *
     * @return the count
     */
    public final long echoReplies() {
        return echoReplies;
    }
}
