package io.jpair.ip;

import io.jpair.reactor.ReactorTime;
import java.nio.ByteBuffer;

/**
 * ICMP for IPv4 (RFC 792): answers echo requests ("ping") addressed to one of our addresses and
 * counts everything else. Register it for protocol 1 on the {@link IPProtocol} it replies
 * through:
 *
 * <pre>{@code
 * ip.addProto(IPProtocol.ICMP, new IcmpProtocol(ip, reactor));
 * }</pre>
 *
 * <p>How replies are built, limited and refused is {@link AbstractIcmpProtocol}'s, shared with
 * ICMPv6. Requests to the limited or a subnet broadcast, or to a multicast group, are answered
 * only with {@link #answerBroadcast(boolean)}.
 *
 * <p>Reactor thread only.
 */
public final class IcmpProtocol extends AbstractIcmpProtocol {
    /**
     * An echo responder sending through {@code ip}.
     *
     * @param ip the IP protocol this one is registered on
     * @param clock the reactor's clock, for the rate limit
     */
    public IcmpProtocol(IPProtocol ip, ReactorTime clock) {
        super(ip, clock, 4, IcmpProtocol.class);
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
        answerGroup(answer);
        return this;
    }

    @Override
    void messageReceived(IcmpHeader header, ByteBuffer payload, IpPacket packet) {
        switch (header.type()) {
            case IcmpHeader.ECHO_REQUEST -> {
                if (header.code() == 0) {
                    echo(payload, packet);
                } else {
                    drops().add(IcmpDrop.UNHANDLED_TYPE);
                }
            }
            case IcmpHeader.DESTINATION_UNREACHABLE, IcmpHeader.TIME_EXCEEDED, IcmpHeader.PARAMETER_PROBLEM ->
                errorReceived(header, payload, packet);
            default -> drops().add(IcmpDrop.UNHANDLED_TYPE);
        }
    }
}
