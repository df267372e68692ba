package io.jpair.ip;

import io.jpair.reactor.ReactorTime;
import java.nio.ByteBuffer;

/**
 * ICMPv6 (RFC 4443) for a host: verifies every message's checksum over the IPv6 pseudo-header,
 * answers echo requests, and hands neighbour solicitations and advertisements to the
 * {@link #neighbourDiscovery(RawDatagramProtocol) neighbour discovery} of the link, if it has one
 * ({@code io.jpair.neighbour.NeighbourDiscovery} on TAP). Register it for protocol 58:
 *
 * <pre>{@code
 * Icmpv6Protocol icmpv6 = new Icmpv6Protocol(ip, reactor);
 * ip.addProto(IPProtocol.ICMPV6, icmpv6);
 * }</pre>
 *
 * <p>How echo replies are built, limited and refused is {@link AbstractIcmpProtocol}'s, shared
 * with ICMPv4. Echo requests to multicast groups are answered only with
 * {@link #answerMulticast(boolean)}. Neighbour discovery messages without a neighbour discovery
 * to take them are {@link IcmpDrop#NO_LINK_LAYER}; error messages about packets we sent go to the protocol
 * that sent them ({@link RawDatagramProtocol#icmpErrorReceived}); router discovery and MLD are
 * {@link IcmpDrop#UNHANDLED_TYPE}.
 *
 * <p>Reactor thread only.
 */
public final class Icmpv6Protocol extends AbstractIcmpProtocol {
    private RawDatagramProtocol neighbourDiscovery;

    /**
     * ICMPv6 replying through {@code ip}, without neighbour discovery.
     *
     * @param ip the IP protocol this one is registered on and replies through
     * @param clock the reactor's clock, for the rate limit
     */
    public Icmpv6Protocol(IPProtocol ip, ReactorTime clock) {
        super(ip, clock, 6, Icmpv6Protocol.class);
    }

    /**
     * Whether echo requests to a multicast address (all-nodes, our solicited-node group) are
     * answered, from our primary address. Off by default (no amplification).
     *
     * @param answer true to answer
     * @return this
     */
    public Icmpv6Protocol answerMulticast(boolean answer) {
        answerGroup(answer);
        return this;
    }

    /**
     * Sets who gets neighbour solicitations (135) and advertisements (136), once their checksum
     * is verified: the message between position and limit, and the packet. It counts its outcomes
     * in this protocol's {@link #drops()}, so each message still ends in one counter here.
     *
     * @param discovery the link's neighbour discovery, or {@code null} for none (TUN)
     * @return this
     */
    public Icmpv6Protocol neighbourDiscovery(RawDatagramProtocol discovery) {
        this.neighbourDiscovery = discovery;
        return this;
    }

    @Override
    void messageReceived(IcmpHeader header, ByteBuffer payload, IpPacket packet) {
        switch (header.type()) {
            case IcmpHeader.V6_ECHO_REQUEST -> echo(payload, packet);
            case IcmpHeader.V6_DESTINATION_UNREACHABLE, IcmpHeader.V6_PACKET_TOO_BIG, IcmpHeader.V6_TIME_EXCEEDED,
                IcmpHeader.V6_PARAMETER_PROBLEM -> errorReceived(header, payload, packet);
            case IcmpHeader.V6_NEIGHBOR_SOLICITATION, IcmpHeader.V6_NEIGHBOR_ADVERTISEMENT -> {
                if (neighbourDiscovery != null) {
                    neighbourDiscovery.datagramReceived(payload, packet);
                } else {
                    drops().add(IcmpDrop.NO_LINK_LAYER);
                }
            }
            default -> drops().add(IcmpDrop.UNHANDLED_TYPE);
        }
    }
}
