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
}
