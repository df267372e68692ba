package io.jpair.bench.jmh;

import io.jpair.testing.Packets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The Internet checksum (RFC 1071) over a whole IPv4/UDP packet and over its 20-byte IP header,
 * as a receiver verifies them. Today this is {@link Packets#checksum}, the test-side builder's
 * helper; the protocol stack's flyweight checksums get their own benchmark when they land.
 */
public class ChecksumBenchmark extends AbstractPacketBenchmark {
    private byte[] packet;

    /** Builds one valid packet of the parameter's size. */
    @Setup
    public void setUp() {
        packet = Packets.ipv4Udp("10.99.0.1", 5000, "10.99.0.2", 9, new byte[payload]);
    }

    /**
     * Sums the whole packet.
     *
     * @return the checksum (consumed by JMH)
     */
    @Benchmark
    public int wholePacket() {
        return Packets.checksum(packet, 0, packet.length, 0);
    }

    /**
     * Verifies the IPv4 header (20 bytes; size-independent).
     *
     * @return the checksum, 0 when valid
     */
    @Benchmark
    public int ipv4Header() {
        return Packets.checksum(packet, 0, 20, 0);
    }
}
