package io.jpair.tuntap;

import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;

/**
 * A virtio-net header before every packet ({@code IFF_VNET_HDR}): a read may be a GSO
 * super-packet, split here into wire-size packets with completed checksums, or one packet whose
 * checksum the kernel left partial, completed in place and delivered without a copy. Packets
 * whose header does not describe them are dropped and counted in
 * {@link DeviceCounters#droppedReads()}. Writes of single packets carry a zero header.
 *
 * <p>With TCP super-packets on, a TCP GSO read is delivered whole instead, and
 * {@link #receivedSegmentSize()} and {@link #receivedChecksumTrusted()} describe the packet being
 * delivered (the port's {@code SegmentOffload} reads them).
 */
final class VirtioFraming extends Framing {
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final ByteBuffer segment = ByteBuffer.allocateDirect(65536);
    private final DeviceCounters counters;
    private final boolean tcpSuperPackets;
    private int receivedSegmentSize;
    private boolean receivedChecksumTrusted;

    VirtioFraming(DeviceCounters counters, boolean tcpSuperPackets) {
        this.counters = counters;
        this.tcpSuperPackets = tcpSuperPackets;
    }

    /** The gso_size of the super-packet being delivered unsplit; 0 otherwise. */
    int receivedSegmentSize() {
        return receivedSegmentSize;
    }

    /** Whether the packet being delivered has a checksum that must not (or need not) be verified. */
    boolean receivedChecksumTrusted() {
        return receivedChecksumTrusted;
    }

    @Override
    int headerLength() {
        return VirtioNetHeader.LENGTH;
    }

    @Override
    void deliver(ByteBuffer frame, int n, PacketSink sink) {
        int length = n - VirtioNetHeader.LENGTH;
        frame.limit(n).position(0);
        header.wrap(frame, 0);
        if (header.gsoType() == VirtioNetHeader.GSO_NONE && length > 0) {
            // One packet: completed in place if the kernel left its checksum partial (as it does
            // for every locally sent packet once TUN_F_CSUM is on), delivered in place.
            if ((header.flags() & VirtioNetHeader.F_NEEDS_CSUM) != 0 && !GsoSplitter.completeChecksum(frame,
                    VirtioNetHeader.LENGTH, length, header.csumStart(), header.csumOffset())) {
                counters.droppedRead();
                return;
            }
            frame.position(VirtioNetHeader.LENGTH);
            receivedChecksumTrusted = (header.flags() & (VirtioNetHeader.F_NEEDS_CSUM | VirtioNetHeader.F_DATA_VALID)) != 0;
            try {
                sink.packet(frame, length);
            } finally {
                receivedChecksumTrusted = false;
            }
            return;
        }
        int tcpType = header.gsoType() & ~VirtioNetHeader.GSO_ECN;
        if (tcpSuperPackets && length > 0 && (tcpType == VirtioNetHeader.GSO_TCPV4 || tcpType == VirtioNetHeader.GSO_TCPV6)) {
            deliverWhole(frame, length, sink);
            return;
        }
        int count = length > 0 ? GsoSplitter.segmentCount(header, frame, VirtioNetHeader.LENGTH, length) : -1;
        if (count < 0) {
            counters.droppedRead();
            return;
        }
        counters.superPacketRead();
        for (int i = 0; i < count; i++) {
            int size = GsoSplitter.segment(header, frame, VirtioNetHeader.LENGTH, length, i, segment, 0);
            if (size < 0) {
                counters.droppedRead();
                return;
            }
            sink.packet(segment, size);
        }
    }

    /** A TCP super-packet, delivered as it is: one segment of up to 64 KiB with a partial checksum. */
    private void deliverWhole(ByteBuffer frame, int length, PacketSink sink) {
        int gsoSize = header.gsoSize();
        if (gsoSize <= 0 || header.hdrLen() > length) {
            counters.droppedRead();
            return;
        }
        counters.superPacketRead();
        frame.position(VirtioNetHeader.LENGTH);
        receivedSegmentSize = gsoSize;
        receivedChecksumTrusted = true;
        try {
            sink.packet(frame, length);
        } finally {
            receivedSegmentSize = 0;
            receivedChecksumTrusted = false;
        }
    }

    @Override
    void putHeader(ByteBuffer buffer, int at) {
        VirtioNetHeader.clear(buffer, at);
    }
}
