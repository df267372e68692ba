package io.jpair.ip;

import java.nio.ByteBuffer;

/**
 * A protocol above IP, registered on {@link IPProtocol} by protocol number (Twisted's
 * {@code IRawDatagramProtocol}: UDP, TCP, ICMP level).
 *
 * <p>Unlike Twisted's fourteen keyword arguments, the IP header fields come as one reused
 * {@link IpPacket} context (version, addresses as primitives, the header view, the hop limit):
 * nothing is allocated per packet. {@code partial} is gone (always 0 on Linux).
 */
@FunctionalInterface
public interface RawDatagramProtocol {
    /**
     * One IP payload for this protocol number.
     *
     * <p>Buffer ownership: {@code payload} (from position to limit: the upper-layer message, IP
     * options, extension headers and link padding already removed) and {@code packet} are views
     * over the port's reused memory, valid only during this call; copy what you keep. The
     * position and limit may be moved. Reactor thread only; must not re-enter the stack's receive
     * path.
     *
     * @param payload the upper-layer bytes
     * @param packet the IP header fields of this packet
     */
    void datagramReceived(ByteBuffer payload, IpPacket packet);

    /**
     * The read batch that brought this protocol at least one payload ended (see
     * {@link io.jpair.transport.PacketProtocol#readComplete()}): the place to flush what the
     * batch wrote elsewhere. Does nothing by default.
     */
    default void readComplete() {
    }

    /**
     * An ICMP error about a packet of this protocol that this host sent (port or protocol
     * unreachable, fragmentation needed / packet too big, time exceeded, parameter problem), from
     * the ICMP protocol of the host's {@link IPProtocol}: TCP aborts a connection being opened on
     * an unreachable, UDP reports a refused connected socket. The path MTU is already lowered
     * when {@link IcmpError#isTooBig()}. Does nothing by default.
     *
     * <p>{@code error} is a reused view, valid only during this call. Reactor thread only.
     *
     * @param error the message, with the quoted packet's addresses and ports
     */
    default void icmpErrorReceived(IcmpError error) {
    }
}
