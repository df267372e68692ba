package io.jpair.bench.jmh;

import io.jpair.testing.Packets;
import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Offload receive: cutting one UDP GSO super-packet (what one {@code read()} returns with
 * {@code IFF_VNET_HDR} + {@code TUN_F_USO4}: 42 segments of 1400 bytes, 58,828 bytes of IPv4/UDP)
 * into wire-size packets with {@link GsoSplitter#segment}, one segment at a time through one
 * buffer as the port delivers them, checksums completed. Scores are per segment.
 */
@State(Scope.Thread)
public class GsoSplitBenchmark extends AbstractMicrobenchmark {
    private static final int SEGMENTS = 42;
    private static final int GSO_SIZE = 1400;

    private final VirtioNetHeader header = new VirtioNetHeader();
    private ByteBuffer superPacket;
    private ByteBuffer segment;
    private int packetLength;

    /** Created by JMH. */
    public GsoSplitBenchmark() {
    }

    /** Builds the virtio header and the super-packet, as the kernel hands them over. */
    @Setup
    public void setUp() {
        byte[] ip = Packets.ipv4Udp("10.99.0.1", 5000, "10.99.0.2", 9, new byte[SEGMENTS * GSO_SIZE]);
        packetLength = ip.length;
        superPacket = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH + ip.length);
        superPacket.put(VirtioNetHeader.LENGTH, ip);
        header.wrap(superPacket, 0).clear().flags(VirtioNetHeader.F_NEEDS_CSUM).gsoType(VirtioNetHeader.GSO_UDP_L4)
            .hdrLen(28).gsoSize(GSO_SIZE).csumStart(20).csumOffset(6);
        segment = ByteBuffer.allocateDirect(2048);
        int count = GsoSplitter.segmentCount(header, superPacket, VirtioNetHeader.LENGTH, packetLength);
        if (count != SEGMENTS) {
            throw new IllegalStateException("expected " + SEGMENTS + " segments, splitter says " + count);
        }
    }

    /**
     * Splits the whole super-packet, segment by segment.
     *
     * @return the bytes produced
     */
    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public long splitUdpSuperPacket() {
        long total = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            total += GsoSplitter.segment(header, superPacket, VirtioNetHeader.LENGTH, packetLength, i, segment, 0);
        }
        return total;
    }
}
