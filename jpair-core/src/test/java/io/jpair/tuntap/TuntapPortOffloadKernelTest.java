package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.sys.LibC;
import io.jpair.sys.InetSocket;
import io.jpair.testing.Packets;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TuntapPort} with {@link OffloadOptions} on real TUN devices in the private namespace. */
@KernelTest
class TuntapPortOffloadKernelTest {
    private EpollReactor reactor;
    private TuntapPort port;

    @BeforeEach
    void createReactor() throws Exception {
        reactor = new EpollReactor();
    }

    @AfterEach
    void stop() {
        if (port != null) {
            port.stopListening();
        }
        reactor.runOnce(0);
        reactor.close();
    }

    private TuntapPort start(String name, RecordingIpProtocol protocol, String cidr) throws Exception {
        port = new TuntapPort(name, protocol, TunnelOptions.defaults(), OffloadOptions.enabled(), reactor, null);
        port.startListening();
        Shell.ip("addr", "add", cidr, "dev", port.interfaceName());
        Shell.ip("link", "set", port.interfaceName(), "up");
        return port;
    }

    @Test
    void portDeliversEachSegmentOfAUdpGsoSendWithValidChecksums() throws Exception {
        RecordingIpProtocol protocol = new RecordingIpProtocol();
        start("jpo0", protocol, "10.122.0.1/24");
        assertThat(port.offloads()).isEqualTo(Offloads.FULL_SET);
        byte[] data = OffloadPackets.payload(1200 * 8, 9);
        int socket = InetSocket.udp();
        try (Arena arena = Arena.ofConfined()) {
            InetSocket.bind(socket, (Inet4Address) InetAddress.ofLiteral("10.122.0.1"), 0);
            InetSocket.connect(socket, (Inet4Address) InetAddress.ofLiteral("10.122.0.2"), 9);
            assertThat(InetSocket.udpSegment(socket, 1200)).isZero();
            MemorySegment payload = arena.allocate(data.length);
            MemorySegment.copy(data, 0, payload, ValueLayout.JAVA_BYTE, 0, data.length);
            assertThat(LibC.write(socket, payload.address(), data.length)).isEqualTo(data.length);
        } finally {
            LibC.close(socket);
        }
        List<byte[]> datagrams = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (datagrams.size() < 8 && System.nanoTime() < deadline) {
            reactor.runOnce(50_000_000L);
            datagrams.clear();
            for (byte[] packet : protocol.received) {
                if (packet[0] == 0x45 && packet[9] == 17 && OffloadPackets.get16(packet, 22) == 9) {
                    datagrams.add(packet);
                }
            }
        }
        assertThat(datagrams).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(OffloadPackets.checksumsValid(datagrams.get(i))).isTrue();
            assertThat(Arrays.copyOfRange(datagrams.get(i), 28, 1228))
                .isEqualTo(Arrays.copyOfRange(data, i * 1200, (i + 1) * 1200));
        }
    }

    @Test
    void portWritesAndWriteSequencesReachAKernelSocket() throws Exception {
        start("jpo1", new RecordingIpProtocol(), "10.123.0.1/24");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.123.0.1"), 7000))) {
            socket.setSoTimeout(5000);
            byte[] packet = Packets.ipv4Udp("10.123.0.2", 5000, "10.123.0.1", 7000, "offloaded".getBytes());
            assertThat(port.write(packet)).isEqualTo(packet.length);
            assertThat(port.writeSequence(List.of(ByteBuffer.wrap(packet, 0, 20), ByteBuffer.wrap(packet, 20,
                packet.length - 20)))).isEqualTo(packet.length);
            byte[] buffer = new byte[2048];
            for (int i = 0; i < 2; i++) {
                DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                socket.receive(received);
                assertThat(new String(buffer, 0, received.getLength())).isEqualTo("offloaded");
            }
        }
    }

    /** Swaps the IPv4 addresses and UDP ports of every packet and writes it back. */
    private static final class UdpReflector extends io.jpair.transport.AbstractPacketProtocol
            implements io.jpair.transport.RawPacketProtocol {
        @Override
        public void datagramReceived(ByteBuffer p, long destination, long source, int etherType) {
            int at = p.position();
            if (p.remaining() < 28 || p.get(at) != 0x45 || p.get(at + 9) != 17) {
                return;
            }
            int from = p.getInt(at + 12);
            p.putInt(at + 12, p.getInt(at + 16));
            p.putInt(at + 16, from);
            int ports = p.getInt(at + 20);
            p.putInt(at + 20, (ports << 16) | (ports >>> 16));
            try {
                transport.write(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void repliesWrittenDuringOneReadBatchReachAKernelSocketAsSeparateDatagrams() throws Exception {
        port = new TuntapPort("jpo3", new UdpReflector(), TunnelOptions.defaults(), OffloadOptions.enabled(),
            reactor, null);
        port.startListening();
        Shell.ip("addr", "add", "10.124.0.1/24", "dev", "jpo3");
        Shell.ip("link", "set", "jpo3", "up");
        int count = 40;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.124.0.1"), 7000))) {
            socket.setSoTimeout(5000);
            for (int i = 0; i < count; i++) {
                byte[] data = ("reply " + i + " ").repeat(4).substring(0, 32).getBytes();
                socket.send(new DatagramPacket(data, data.length, InetAddress.ofLiteral("10.124.0.2"), 9));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (port.counters().packetsWritten() < count && System.nanoTime() < deadline) {
                reactor.runOnce(50_000_000L);
            }
            byte[] buffer = new byte[2048];
            for (int i = 0; i < count; i++) {
                DatagramPacket received = new DatagramPacket(buffer, buffer.length);
                socket.receive(received);
                assertThat(new String(buffer, 0, received.getLength()))
                    .isEqualTo(("reply " + i + " ").repeat(4).substring(0, 32));
                assertThat(received.getPort()).isEqualTo(9);
            }
        }
        assertThat(port.counters().packetsWritten()).isEqualTo(count);
        assertThat(port.counters().superPacketsWritten()).isPositive();
        assertThat(port.counters().droppedWrites()).isZero();
    }

    @Test
    void offloadOnATapPortIsRefused() {
        assertThatThrownBy(() -> new TuntapPort("jpo2", new RecordingFrameProtocol(), TunnelOptions.defaults(),
            OffloadOptions.enabled(), reactor, null)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("TUN");
    }
}
