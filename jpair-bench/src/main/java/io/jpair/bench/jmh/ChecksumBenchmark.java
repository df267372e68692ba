package io.jpair.bench.jmh;

import io.jpair.wire.InternetChecksum;
import io.jpair.testing.Packets;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The Internet checksum (RFC 1071) over a whole IPv4/UDP packet and over its 20-byte IP header,
 * as a receiver verifies them: the library's {@link InternetChecksum} over a direct
 * {@link ByteBuffer} (the packet path), and the test-side builder's {@link Packets#checksum} over
 * a {@code byte[]} for comparison.
 */
public class ChecksumBenchmark extends AbstractPacketBenchmark {
    private byte[] packet;
    private ByteBuffer direct;

    /** Created by JMH. */
    public ChecksumBenchmark() {
    }

    /** Builds one valid packet of the parameter's size. */
    @Setup
    public void setUp() {
        packet = Packets.ipv4Udp("10.99.0.1", 5000, "10.99.0.2", 9, new byte[payload]);
        direct = ByteBuffer.allocateDirect(packet.length).put(packet).flip();
    }

    /**
     * {@link InternetChecksum} over the whole packet in a direct buffer.
     *
     * @return the checksum (consumed by JMH)
     */
    @Benchmark
    public int stackWholePacket() {
        return InternetChecksum.checksum(direct, 0, direct.limit(), 0);
    }

    /**
     * {@link InternetChecksum} over the 20-byte IPv4 header in a direct buffer.
     *
     * @return the checksum, 0 when valid
     */
    @Benchmark
    public int stackIpv4Header() {
        return InternetChecksum.checksum(direct, 0, 20, 0);
    }

    /**
     * Sums the whole packet.
     *
     * @return the checksum (consumed by JMH)
     */
    @Benchmark
    public int testingWholePacket() {
        return Packets.checksum(packet, 0, packet.length, 0);
    }

    /**
     * Verifies the IPv4 header (20 bytes; size-independent).
     *
     * @return the checksum, 0 when valid
     */
    @Benchmark
    public int testingIpv4Header() {
        return Packets.checksum(packet, 0, 20, 0);
    }
}
