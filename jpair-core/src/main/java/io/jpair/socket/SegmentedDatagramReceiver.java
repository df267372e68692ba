package io.jpair.socket;

import io.jpair.ip.IpPacket;
import java.nio.ByteBuffer;

/**
 * The opt-in, whole form of UDP GRO receive: a {@code DatagramProtocol} that also implements this
 * interface gets each coalesced datagram of a {@link UdpPort} opened with
 * {@link UdpOptions#withGro(boolean) withGro(true)} in one call, instead of one
 * {@code datagramReceived} per segment (the default split).
 *
 * <p>The payload is {@code n} consecutive datagrams from the same sender to the same port, each
 * exactly {@code segmentSize} bytes except the last, which may be shorter:
 * segment {@code i} is {@code payload[position + i * segmentSize, min(position + (i + 1) *
 * segmentSize, limit))}. A datagram that was not coalesced comes the same way with
 * {@code segmentSize} equal to its length. A tunnel writes such a payload into a TUN device as one
 * GSO super-packet; a protocol that wants datagrams one by one does not implement this interface.
 *
 * <p>Buffer ownership as for {@code datagramReceived}: {@code payload} and {@code packet} are
 * valid only during the call. Reactor thread only.
 */
public interface SegmentedDatagramReceiver {
    /**
     * A coalesced datagram arrived.
     *
     * @param payload the segments, from position to limit
     * @param segmentSize the size of every segment but the last (at least 1)
     * @param packet the sender's address as an IP-level view (see {@link UdpPort})
     * @param sourcePort the sender's port
     */
    void segmentsReceived(ByteBuffer payload, int segmentSize, IpPacket packet, int sourcePort);
}
