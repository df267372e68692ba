package io.jpair.bench.jmh;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code TuntapPort.doRead()} through {@link MemoryIOSystem}: the port's own per-packet cost
 * (read loop, view, counters, protocol dispatch) without the kernel. The tunnel recycles 64 queued
 * packets, so one {@code doRead} reads until the port's per-wake-up budget
 * ({@value TuntapPort#MAX_THROUGHPUT} bytes); the {@code packets} counter gives the rate per
 * packet. With {@code -prof gc}, {@code gc.alloc.rate.norm} must be about 0 B/op.
 */
public class TuntapReadBenchmark extends AbstractPacketBenchmark {
    private TuntapPort readPort;
    private TuntapPort echoPort;
    private Sink reader;
    private Sink echoer;

    /** Created by JMH. */
    public TuntapReadBenchmark() {
    }

    /** Packets delivered, reported by JMH as a secondary rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class PacketCount {
        /** Packets delivered to the protocol in this iteration. */
        public long packets;

        /** Created by JMH. */
        public PacketCount() {
        }

        /** Zeroes the count per iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            packets = 0;
        }
    }

    /** Counts packets; optionally writes each straight back (an echo). */
    static final class Sink extends AbstractPacketProtocol implements RawPacketProtocol {
        private final boolean echo;
        long packets;

        Sink(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            packets++;
            if (echo) {
                try {
                    transport.write(packet);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Two ports on in-memory tunnels, each with 64 recycled packets of the parameter's size.
     *
     * @throws CannotListenException never (in-memory)
     */
    @Setup
    public void setUp() throws CannotListenException {
        reader = new Sink(false);
        echoer = new Sink(true);
        readPort = start("tun0", reader);
        echoPort = start("tun1", echoer);
    }

    private TuntapPort start(String name, Sink protocol) throws CannotListenException {
        MemoryIOSystem system = new MemoryIOSystem();
        TuntapPort port = new TuntapPort(name, protocol, TunnelOptions.defaults(), new MemoryReactor(), system);
        port.startListening();
        MemoryTunnel tunnel = system.getTunnel(port);
        tunnel.recycleReads(true);
        tunnel.recordWrites(false);
        for (int i = 0; i < 64; i++) {
            tunnel.addToReadBuffer(Packets.ipv4Udp("10.99.0.1", 5000 + i, "10.99.0.2", 9, new byte[payload]));
        }
        return port;
    }

    /**
     * One wake-up's worth of reads.
     *
     * @param count the packet counter
     * @throws Exception never (in-memory)
     */
    @Benchmark
    public void doRead(PacketCount count) throws Exception {
        long before = reader.packets;
        readPort.doRead();
        count.packets += reader.packets - before;
    }

    /**
     * One wake-up's worth of reads, each packet written back with {@code write(ByteBuffer)}.
     *
     * @param count the packet counter
     * @throws Exception never (in-memory)
     */
    @Benchmark
    public void doReadEcho(PacketCount count) throws Exception {
        long before = echoer.packets;
        echoPort.doRead();
        count.packets += echoer.packets - before;
    }
}
