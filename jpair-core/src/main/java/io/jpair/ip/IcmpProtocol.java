package io.jpair.ip;

import io.jpair.reactor.ReactorTime;
import io.jpair.wire.DropCounter;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * ICMP for IPv4 (RFC 792): answers echo requests ("ping") addressed to one of our addresses and
 * counts everything else. Register it for protocol 1 on the {@link IPProtocol} it replies
 * through:
 *
 * <pre>{@code
 * ip.addProto(IPProtocol.ICMP, new IcmpProtocol(ip));
 * }</pre>
 *
 * <p>A reply is built in a preallocated direct buffer: a fresh 20-byte IPv4 header (our address
 * as source, TTL {@value IPProtocol#DEFAULT_TTL}, options not echoed), then the request's ICMP
 * message with type 0 and a new checksum. Nothing is allocated per request.
 *
 * <p><b>No amplification.</b> Requests to a broadcast or multicast address are not answered
 * ({@link IcmpDrop#NOT_ANSWERED}, as Linux's {@code icmp_echo_ignore_broadcasts=1}) unless
 * {@link #answerBroadcast(boolean)} is set; replies are limited by a {@link TokenBucket}
 * ({@link TokenBucket#defaults()}: 1000 per second, bursts of 50) on the {@link #clock(ReactorTime)
 * reactor's clock}, refused ones counted as {@link IcmpDrop#RATE_LIMITED}. Martian sources never
 * get here: {@link IPProtocol} drops them.
 *
 * <p>Reactor thread only.
 */
public final class IcmpProtocol implements RawDatagramProtocol {
    private final IPProtocol ip;
    private final IcmpHeader request = new IcmpHeader();
    private final IcmpHeader reply = new IcmpHeader();
    private final ByteBuffer out = ByteBuffer.allocateDirect(IpLink.HEADROOM + Ipv4Header.MAX_TOTAL_LENGTH);
    private final DropCounter<IcmpDrop> drops = new DropCounter<>(IcmpDrop.class, IcmpProtocol.class);
    private ReactorTime clock;
    private TokenBucket rateLimit = TokenBucket.defaults();
    private boolean answerBroadcast;
    private long messagesReceived;
    private long echoRequests;
    private long echoReplies;

    /**
     * An echo responder sending through {@code ip}.
     *
     * @param ip the IP protocol this one is registered on
     */
    public IcmpProtocol(IPProtocol ip) {
        this.ip = Objects.requireNonNull(ip, "ip");
    }

    /**
     * Sets the time source of the rate limit (the reactor); {@link System#nanoTime()} until set.
     *
     * @param clock the clock
     * @return this
     */
    public IcmpProtocol clock(ReactorTime clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Sets the limit on echo replies.
     *
     * @param bucket the bucket (share one between ICMPv4 and ICMPv6 for a per-host limit), or
     *     {@link TokenBucket#unlimited()}
     * @return this
     */
    public IcmpProtocol rateLimit(TokenBucket bucket) {
        this.rateLimit = Objects.requireNonNull(bucket, "bucket");
        return this;
    }

    /**
     * Whether echo requests to the broadcast, a subnet broadcast or a multicast address are
     * answered (from our primary address). Off by default: answering them lets one spoofed
     * request make every host on the link reply to the victim (a "smurf" amplification).
     *
     * @param answer true to answer
     * @return this
     */
    public IcmpProtocol answerBroadcast(boolean answer) {
        this.answerBroadcast = answer;
        return this;
    }

    /**
     * One ICMP message. Never throws.
     *
     * @param payload the ICMP message; borrowed
     * @param packet the IPv4 packet it came in
     */
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet) {
        messagesReceived++;
        int start = payload.position();
        int length = payload.limit() - start;
        if (length < IcmpHeader.LENGTH) {
            drops.add(IcmpDrop.TRUNCATED);
            return;
        }
        request.wrap(payload, start);
        if (!request.checksumValid(length, 0)) {
            drops.add(IcmpDrop.BAD_CHECKSUM);
            return;
        }
        if (request.type() != IcmpHeader.ECHO_REQUEST || request.code() != 0 || !packet.isIpv4()) {
            drops.add(IcmpDrop.UNHANDLED_TYPE);
            return;
        }
        echoRequests++;
        int destination = packet.destinationIpv4();
        if (!ip.isLocalIpv4(destination)) {
            if (!answerBroadcast || ip.primaryIpv4() == 0) {
                drops.add(IcmpDrop.NOT_ANSWERED);
                return;
            }
            destination = ip.primaryIpv4();
        }
        if (!rateLimit.tryTake(clock != null ? clock.nanoTime() : System.nanoTime())) {
            drops.add(IcmpDrop.RATE_LIMITED);
            return;
        }
        out.clear();
        int at = IpLink.HEADROOM;
        int total = Ipv4Header.MIN_LENGTH + length;
        Ipv4Header.write(out, at, total, ip.nextIdentification(), IPProtocol.DEFAULT_TTL, IPProtocol.ICMP,
            destination, packet.sourceIpv4());
        out.put(at + Ipv4Header.MIN_LENGTH, payload, start, length);
        reply.wrap(out, at + Ipv4Header.MIN_LENGTH).type(IcmpHeader.ECHO_REPLY).computeChecksum(length, 0);
        if (ip.send(out, at, total)) {
            echoReplies++;
        } else {
            drops.add(IcmpDrop.SEND_FAILED);
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
     * ICMP messages handed to this protocol. Each ends in exactly one of: an echo reply, a drop
     * reason.
     *
     * @return the count
     */
    public long messagesReceived() {
        return messagesReceived;
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
}
