package io.jpair.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TCP segmentation offload as a packet port offers it to the protocols above (on a TUN device
 * with a virtio-net header and {@code OffloadOptions.withTcpSuperPackets(true)}): receiving the
 * kernel's TCP super-packets as one segment, unsplit, and sending TCP super-packets the kernel
 * segments (TSO). A userspace TCP that takes both reaches the kernel's own speed: one packet per
 * 64 KiB instead of one per MSS.
 *
 * <p><b>Receive.</b> While a port delivers a packet ({@code datagramReceived}), and only then,
 * {@link #receivedSegmentSize()} says whether the packet is a super-packet: a TCP segment of up to
 * 64 KiB that the sender cut into {@code receivedSegmentSize()}-byte segments (the sender's MSS,
 * the virtio header's {@code gso_size}); its IP header states its whole length. Its TCP checksum
 * is <em>partial</em> (the kernel's {@code CHECKSUM_PARTIAL}: the field holds only the
 * pseudo-header sum, since the data never crossed a wire), so the receiver must not verify it:
 * {@link #receivedChecksumTrusted()} is true. Count {@code receivedSegmentSize()} units for "an ACK
 * every second full-sized segment".
 *
 * <p><b>Send.</b> {@link #writeTcpSuperPacket} writes one IPv4 or IPv6 packet with a TCP segment
 * of up to 64 KiB, which the kernel cuts into MSS-sized segments (sequence numbers advanced,
 * FIN/PSH only on the last, IPv4 IDs incremented, checksums completed), as gVisor's and
 * wireguard-go's host GSO do.
 *
 * <p>A port without offload answers with {@link #NONE}. Reactor thread only; no allocation.
 */
public interface SegmentOffload {
    /** No segmentation offload: plain packets only, checksums to verify, no super-packet writes. */
    SegmentOffload NONE = new NoSegmentOffload();

    /**
     * The segment size of the packet being delivered, if it is a TCP super-packet.
     *
     * @return the sender's MSS ({@code gso_size}) for an unsplit super-packet; 0 for an ordinary
     *     packet, and outside {@code datagramReceived}
     */
    int receivedSegmentSize();

    /**
     * Whether the packet being delivered needs no L4 checksum verification: an unsplit
     * super-packet (whose checksum is partial), a packet whose partial checksum the port
     * completed, or one the kernel marked as validated.
     *
     * @return true if the TCP or UDP checksum must be taken as correct; false outside
     *     {@code datagramReceived}
     */
    boolean receivedChecksumTrusted();

    /**
     * Whether {@link #writeTcpSuperPacket} works on this port now.
     *
     * @return true on a listening TUN port with a virtio header and TCP super-packets switched on
     */
    boolean canWriteTcpSuperPackets();

    /**
     * Writes one TCP super-packet for the kernel to segment: the bytes between {@code packet}'s
     * position and limit are a complete IPv4 packet (header checksum and total length set, no
     * fragmentation) or IPv6 packet (no extension headers), carrying a TCP header (with options)
     * and up to 65535 bytes of IP packet in all. The TCP checksum field is ignored: the port
     * writes the pseudo-header sum there and asks the kernel to complete it per segment. Packets
     * the port holds for coalescing are written first, so the order of writes is kept. One copy
     * into the port's native buffer; the caller's buffer is not modified and owned again on return.
     *
     * @param packet the IP packet
     * @param mss the segment size the kernel cuts the payload into, 1 to 65535; a payload no
     *     larger than it is written as one packet with a partial checksum
     * @return the bytes written (the packet's length), or 0 when the device queue was full and the
     *     packet was dropped (counted)
     * @throws IllegalArgumentException if the packet is not such an IP/TCP packet
     * @throws UnsupportedOperationException if {@link #canWriteTcpSuperPackets()} is false
     * @throws IOException an {@code ErrnoException} for any other write failure, as
     *     {@link PacketTransport#write(ByteBuffer)}
     */
    int writeTcpSuperPacket(ByteBuffer packet, int mss) throws IOException;
}
