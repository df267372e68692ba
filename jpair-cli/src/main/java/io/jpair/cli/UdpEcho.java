package io.jpair.cli;

import io.jpair.ip.IpPacket;
import io.jpair.udp.DatagramProtocol;
import java.nio.ByteBuffer;

/**
 * The UDP echo service (RFC 862) that {@code jpair host --udp-echo PORT} runs: every datagram goes
 * back to its sender unchanged, with no allocation (the reply is built from the borrowed packet).
 */
final class UdpEcho extends DatagramProtocol {
    @Override
    public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
        transport().reply(payload, packet, sourcePort);
    }
}
