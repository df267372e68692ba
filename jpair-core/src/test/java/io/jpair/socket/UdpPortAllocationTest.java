package io.jpair.socket;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jpair.ip.IpPacket;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryUdpSocket;
import io.jpair.testing.MemoryUdpSystem;
import io.jpair.udp.DatagramProtocol;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The datagram path of a {@link UdpPort} allocates nothing in steady state: receiving,
 * delivering, replying (held and sent with one send call per batch), and GRO splitting, measured
 * with the thread's allocation counter after warm-up over the in-memory system.
 */
class UdpPortAllocationTest {
    private static final int BATCHES = 2_000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Counts datagrams; replies to each when asked. */
    static final class Echo extends DatagramProtocol {
        final boolean echo;
        long datagrams;

        Echo(boolean echo) {
            this.echo = echo;
        }

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            datagrams++;
            if (echo) {
                transport().reply(payload, packet, sourcePort);
            }
        }
    }

    private static long allocatedOver(boolean echo, String bind, String sender, boolean gro) throws Exception {
        MemoryUdpSystem system = new MemoryUdpSystem();
        Echo protocol = new Echo(echo);
        UdpPort port = new UdpPort(9000, protocol, InetAddress.getByName(bind), UdpOptions.defaults().withGro(gro),
            new MemoryReactor(), system);
        port.startListening();
        MemoryUdpSocket socket = system.socket(port);
        socket.recycleReceives(true);
        socket.recordSends(false);
        for (int i = 0; i < 64; i++) {
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(sender), 1000 + i);
            if (gro) {
                socket.deliverCoalesced(new byte[64 * 8], 64, from);
            } else {
                socket.deliver(new byte[64], from);
            }
        }
        for (int i = 0; i < 20_000; i++) {
            port.doRead();
        }
        long datagramsBefore = protocol.datagrams;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < BATCHES; i++) {
            port.doRead();
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long datagrams = protocol.datagrams - datagramsBefore;
        assertThat(datagrams).isEqualTo(BATCHES * 64L * (gro ? 8 : 1));
        if (echo) {
            assertThat(port.counters().datagramsWritten()).isEqualTo(protocol.datagrams);
        }
        return allocated;
    }

    @Test
    void receivingIpv4AllocatesNothing() throws Exception {
        assertThat(allocatedOver(false, "0.0.0.0", "10.0.0.1", false)).as("bytes allocated over %d batches of 64", BATCHES).isLessThan(1024);
    }

    @Test
    void echoingIpv4AllocatesNothing() throws Exception {
        assertThat(allocatedOver(true, "0.0.0.0", "10.0.0.1", false)).as("bytes allocated over %d batches of 64", BATCHES).isLessThan(1024);
    }

    @Test
    void echoingIpv6AllocatesNothing() throws Exception {
        assertThat(allocatedOver(true, "::", "2001:db8::1", false)).as("bytes allocated over %d batches of 64", BATCHES).isLessThan(1024);
    }

    @Test
    void echoingV4MappedOnADualStackPortAllocatesNothing() throws Exception {
        assertThat(allocatedOver(true, "::", "10.0.0.1", false)).as("bytes allocated over %d batches of 64", BATCHES).isLessThan(1024);
    }

    @Test
    void splittingGroDatagramsAllocatesNothing() throws Exception {
        assertThat(allocatedOver(false, "0.0.0.0", "10.0.0.1", true)).as("bytes allocated over %d batches of 64", BATCHES).isLessThan(1024);
    }
}
