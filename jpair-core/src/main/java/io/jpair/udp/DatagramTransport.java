package io.jpair.udp;

import io.jpair.ip.IpPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * How a {@link DatagramProtocol} sends (Twisted's {@code IUDPTransport}), the same interface on
 * jpair's own stack ({@link RawUDPProtocol#addProto}) and on a kernel socket
 * ({@code io.jpair.socket.UdpPort}), so one protocol runs unchanged on either.
 *
 * <p>Every write takes the payload from position to limit and leaves the caller's buffer as it
 * was; the payload is copied at most once. A datagram the network cannot take is counted and the
 * call returns 0: no exception for network conditions. Reactor thread only.
 */
public interface DatagramTransport {
    /**
     * The local port datagrams are sent from.
     *
     * @return 0..65535
     */
    int getPort();

    /**
     * Sends a datagram (Twisted's {@code write(data, addr)}).
     *
     * @param payload from position to limit
     * @param destination IPv4 or IPv6 address and port (must be resolved)
     * @return payload bytes sent (or queued), 0 if dropped
     * @throws IllegalArgumentException if the payload is too big for one datagram or the address
     *     is unresolved
     */
    int write(ByteBuffer payload, InetSocketAddress destination);

    /**
     * Sends a datagram from an array.
     *
     * @param payload the whole array
     * @param destination address and port
     * @return as for {@link #write(ByteBuffer, InetSocketAddress)}
     */
    default int write(byte[] payload, InetSocketAddress destination) {
        return write(ByteBuffer.wrap(payload), destination);
    }

    /**
     * Sends a datagram to an IPv4 address (allocation-free).
     *
     * @param payload from position to limit
     * @param address as an int
     * @param destinationPort 0..65535
     * @return payload bytes sent, 0 if dropped
     */
    int writeIpv4(ByteBuffer payload, int address, int destinationPort);

    /**
     * Sends a datagram to an IPv6 address (allocation-free).
     *
     * @param payload from position to limit
     * @param high destination, high 64 bits
     * @param low destination, low 64 bits
     * @param destinationPort 0..65535
     * @return payload bytes sent, 0 if dropped
     */
    int writeIpv6(ByteBuffer payload, long high, long low, int destinationPort);

    /**
     * Sends a datagram back to the sender of a received one (allocation-free). On jpair's stack
     * the reply leaves from the address the datagram was sent to, and replies that could loop or
     * amplify are refused ({@link ReplyGuard}); on a kernel socket the kernel picks the source.
     *
     * @param payload from position to limit (may be the received payload itself)
     * @param received the packet view handed to {@code datagramReceived}
     * @param destinationPort the sender's port
     * @return payload bytes sent, 0 if dropped or refused
     */
    int reply(ByteBuffer payload, IpPacket received, int destinationPort);
}
