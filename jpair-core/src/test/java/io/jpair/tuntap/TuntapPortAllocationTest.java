package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadOptions;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The packet path allocates nothing in steady state: reading, delivering and echoing 10,000
 * packets through the in-memory system costs no heap (measured with the thread's allocation
 * counter after warm-up).
 */
class TuntapPortAllocationTest {
    private static final int PACKETS = 10_000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Counts packets; optionally writes each one straight back. */
    static final class Echo extends AbstractPacketProtocol implements RawPacketProtocol {
        final boolean echo;
        long packets;

        Echo(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            packets++;
            if (echo) {
                try {
                    transport().write(packet);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static long allocatedWhileReading(boolean echo) throws Exception {
        return allocatedWhileReading(echo, OffloadOptions.disabled());
    }

    private static long allocatedWhileReading(boolean echo, OffloadOptions offload) throws Exception {
        MemoryIOSystem system = new MemoryIOSystem();
        Echo protocol = new Echo(echo);
        TuntapPort port = new TuntapPort("tun0", protocol, TunnelOptions.defaults(), offload, new MemoryReactor(),
            system);
        port.startListening();
        MemoryTunnel tunnel = system.getTunnel(port);
        tunnel.recycleReads(true);
        tunnel.recordWrites(false);
        for (int i = 0; i < 64; i++) {
            // Eight flows: with write offload, each batch of 64 held replies coalesces into 8 writes.
            tunnel.addToReadBuffer(Packets.ipv4Udp("10.0.0.1", 1000 + i % 8, "10.0.0.2", 53, new byte[64]));
        }
        readPackets(port, protocol, 200_000);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        readPackets(port, protocol, PACKETS);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(protocol.packets).isGreaterThan(PACKETS);
        if (echo && !offload.txOffload()) {
            assertThat(tunnel.writeCount()).isEqualTo(protocol.packets);
        }
        if (echo && offload.txOffload()) {
            assertThat(port.counters().packetsWritten()).isEqualTo(protocol.packets);
            assertThat(port.counters().superPacketsWritten()).isPositive();
        }
        return allocated;
    }

    private static void readPackets(TuntapPort port, Echo protocol, int count) throws Exception {
        long target = protocol.packets + count;
        while (protocol.packets < target) {
            port.doRead();
        }
    }

    @Test
    void receivingAllocatesNothingPerPacket() throws Exception {
        assertThat(allocatedWhileReading(false)).as("bytes allocated for %d packets", PACKETS).isLessThan(1024);
    }

    @Test
    void echoingAllocatesNothingPerPacket() throws Exception {
        assertThat(allocatedWhileReading(true)).as("bytes allocated for %d packets", PACKETS).isLessThan(1024);
    }

    @Test
    void echoingWithWriteOffloadAllocatesNothingPerPacket() throws Exception {
        assertThat(allocatedWhileReading(true, OffloadOptions.enabled())).as("bytes allocated for %d packets", PACKETS)
            .isLessThan(1024);
    }
}
