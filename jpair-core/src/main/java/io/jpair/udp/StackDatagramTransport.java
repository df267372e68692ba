package io.jpair.udp;

import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.ip.SourceAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The {@link DatagramTransport} of jpair's own stack: datagrams from a local port, through the
 * {@link RawUDPProtocol} and the IP stack underneath (headers, checksums, and on TAP ARP or
 * neighbour discovery are handled there).
 *
 * <p>Every write copies the payload once, into the stack's preallocated buffer where the UDP and IP
 * headers are built in place, and hands that buffer down: the caller keeps its buffer (position
 * unchanged). A datagram the network cannot take (no route,
 * unresolved neighbour queue full, device refused) is counted and the call returns 0; no
 * exception for network conditions. Reactor thread only.
 */
final class StackDatagramTransport implements DatagramTransport {
    private final RawUDPProtocol udp;
    private final int port;
    private final SourceAddress replySource = new SourceAddress();

    StackDatagramTransport(RawUDPProtocol udp, int port) {
        this.udp = Objects.requireNonNull(udp, "udp");
        this.port = port;
    }

    @Override
    public int getPort() {
        return port;
    }

    /** The UDP layer underneath. */
    RawUDPProtocol udp() {
        return udp;
    }

    @Override
    public int write(ByteBuffer payload, InetSocketAddress destination) {
        if (destination.isUnresolved()) {
            throw new IllegalArgumentException("unresolved destination: " + destination);
        }
        if (destination.getAddress() instanceof Inet4Address) {
            return writeIpv4(payload, Ipv4Header.toInt(destination.getAddress()), destination.getPort());
        }
        return writeIpv6(payload, Ipv6Header.high(destination.getAddress()), Ipv6Header.low(destination.getAddress()),
            destination.getPort());
    }

    @Override
    public int writeIpv4(ByteBuffer payload, int address, int destinationPort) {
        return udp.sendIpv4(port, payload, udp.ip().primaryIpv4(), address, destinationPort);
    }

    @Override
    public int writeIpv6(ByteBuffer payload, long high, long low, int destinationPort) {
        return udp.sendIpv6(port, payload, udp.ip().primaryIpv6High(), udp.ip().primaryIpv6Low(), high, low,
            destinationPort);
    }

    /**
     * Sends a datagram back to the sender of a received packet, from the address it was sent to
     * when that is one of ours, else from our primary address ({@code IPProtocol.selectSource},
     * the rule echo replies follow too). Allocation-free. Refused (counted, 0 returned) when it
     * could start a loop or amplify: to port 0 or a well-known echo-like service port, to a
     * datagram sent to a broadcast or multicast address, or to the unspecified address (see
     * {@link ReplyGuard}; {@link RawUDPProtocol#replyToServicePorts} and
     * {@link RawUDPProtocol#answerGroupDatagrams} relax the first two).
     *
     * @param payload from position to limit (may be the received payload itself)
     * @param received the packet being answered
     * @param destinationPort the sender's port
     * @return payload bytes sent, 0 if dropped
     */
    @Override
    public int reply(ByteBuffer payload, IpPacket received, int destinationPort) {
        boolean toUs = udp.ip().selectSource(received, replySource);
        if (!toUs && !udp.answersGroupDatagrams()) {
            return udp.refuse(UdpDrop.REPLY_TO_GROUP_DATAGRAM);
        }
        if (ReplyGuard.isUnspecifiedSource(received) || !replySource.isSpecified()) {
            return udp.refuse(UdpDrop.REPLY_TO_UNSPECIFIED);
        }
        if (ReplyGuard.isServicePort(destinationPort) && !udp.repliesToServicePorts()) {
            return udp.refuse(UdpDrop.REPLY_TO_SERVICE_PORT);
        }
        if (replySource.version() == 4) {
            return udp.sendIpv4(port, payload, replySource.ipv4(), received.sourceIpv4(), destinationPort);
        }
        return udp.sendIpv6(port, payload, replySource.high(), replySource.low(), received.sourceHigh(),
            received.sourceLow(), destinationPort);
    }

    @Override
    public String toString() {
        return "DatagramTransport[udp port " + port + "]";
    }
}
