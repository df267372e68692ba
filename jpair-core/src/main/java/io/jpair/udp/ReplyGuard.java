package io.jpair.udp;

import io.jpair.ip.IpPacket;

/**
 * The rules {@link DatagramTransport#reply} applies before answering a datagram, so that an echo,
 * a chargen or any service that answers what it receives cannot be turned into a loop or an
 * amplifier by a spoofed datagram. Each refused reply is counted in its {@link UdpDrop} reason.
 *
 * <ul>
 *   <li>No reply to port 0 or to the ports of the services that answer anything they receive:
 *     {@value #SERVICE_PORTS_TEXT} (echo, discard, daytime, quote of the day, chargen, time: the
 *     list FreeBSD's inetd refuses in {@code check_loop}). Two echo services, each told the
 *     other's address as the sender, would otherwise ping-pong one datagram forever.
 *     {@link RawUDPProtocol#replyToServicePorts(boolean)} allows it.</li>
 *   <li>No reply to a datagram sent to a broadcast or multicast address (fraggle), unless
 *     {@link RawUDPProtocol#answerGroupDatagrams(boolean)}.</li>
 *   <li>Never a reply to the unspecified address (0.0.0.0, ::).</li>
 * </ul>
 */
final class ReplyGuard {
    /** The ports {@code reply} refuses to answer, in {@link #SERVICE_PORTS_TEXT}. */
    static final int[] SERVICE_PORTS = {0, 7, 9, 13, 17, 19, 37};
    static final String SERVICE_PORTS_TEXT = "0, 7, 9, 13, 17, 19 and 37";

    private ReplyGuard() {
    }

    static boolean isServicePort(int port) {
        for (int p : SERVICE_PORTS) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    static boolean isUnspecifiedSource(IpPacket received) {
        return received.isIpv4() ? received.sourceIpv4() == 0
            : received.sourceHigh() == 0 && received.sourceLow() == 0;
    }
}
