package io.jpair.bench.jmh;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IpPacket;
import io.jpair.ip.Ipv4Header;
import io.jpair.testing.Packets;
import io.jpair.udp.DatagramProtocol;
import io.jpair.udp.RawUDPProtocol;
import io.jpair.udp.UdpHeader;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Receiving one IPv4/UDP packet from a direct buffer: the bare flyweights (wrap, validate the
 * header checksum, read the fields a demultiplexer needs), and the whole protocol stack
 * ({@link IPProtocol} validating and demultiplexing to {@link RawUDPProtocol}, which checks the
 * UDP checksum and hands the payload to a port's {@link DatagramProtocol}).
 */
public class HeaderParsingBenchmark extends AbstractPacketBenchmark {
    private final Ipv4Header ip = new Ipv4Header();
    private final UdpHeader udp = new UdpHeader();
    private ByteBuffer packet;
    private IPProtocol stack;
    private Sink sink;

    /** Created by JMH. */
    public HeaderParsingBenchmark() {
    }

    /** Counts datagrams on a UDP port without copying them. */
    static final class Sink extends DatagramProtocol {
        long datagrams;
        long bytes;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket context, int sourcePort) {
            datagrams++;
            bytes += payload.remaining();
        }
    }

    /** Builds the packet and the stack (UDP port 9 bound to the sink). */
    @Setup
    public void setUp() {
        byte[] bytes = Packets.ipv4Udp("10.99.0.1", 5000, "10.99.0.2", 9, new byte[payload]);
        packet = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        stack = new IPProtocol();
        RawUDPProtocol udpLayer = new RawUDPProtocol(stack);
        stack.addProto(IPProtocol.UDP, udpLayer);
        sink = new Sink();
        udpLayer.addProto(9, sink);
    }

    /**
     * Flyweights only: wrap, check the IPv4 header checksum, read addresses and ports.
     *
     * @return a value depending on every field read
     */
    @Benchmark
    public long flyweights() {
        ip.wrap(packet, 0);
        if (!ip.checksumValid() || ip.protocol() != 17) {
            return -1;
        }
        udp.wrap(packet, ip.headerLength());
        return ((long) ip.source() << 32 ^ ip.destination()) + udp.sourcePort() * 65536L + udp.destinationPort()
            + ip.totalLength();
    }

    /**
     * The whole receive stack for one packet: IP validation and demux, UDP checksum and demux,
     * delivery to the bound protocol.
     *
     * @return the datagrams delivered so far
     */
    @Benchmark
    public long stack() {
        packet.position(0);
        stack.datagramReceived(packet);
        return sink.datagrams;
    }
}
