package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.OffloadPackets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TSO seams on a real TUN device with offload, in the private namespace: the kernel's TCP
 * sends arrive as super-packets larger than the MTU with their {@code gso_size}, and a TCP
 * super-packet written with a virtio header is accepted by the kernel's TCP as the whole range
 * of data. The TCP on jpair's side is a few scripted segments (SYN-ACK or SYN, then ACKs).
 */
@KernelTest
class TcpSuperPacketKernelTest {
    private static final int MSS = 1460;
    private static final long SECONDS = 1_000_000_000L;

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

    private void start(String name, AbstractPacketProtocol protocol, String cidr) throws Exception {
        port = new TuntapPort(name, protocol, TunnelOptions.defaults(), OffloadOptions.enabled().withTcpSuperPackets(true),
            reactor, null);
        port.startListening();
        Shell.ip("addr", "add", cidr, "dev", port.interfaceName());
        Shell.ip("link", "set", port.interfaceName(), "up");
    }

    private static byte[] segment(byte[] source, int sourcePort, byte[] destination, int destinationPort, long seq,
            long ack, int flags, byte[] options, byte[] payload) {
        return OffloadPackets.readdress(OffloadPackets.tcp(false, sourcePort, destinationPort, seq, ack, flags, options,
            payload), source, destination);
    }

    private static final byte[] MSS_OPTION = {2, 4, (byte) (MSS >>> 8), (byte) MSS};

    /** Answers one kernel client's SYN at 10.124.0.2:80 and acknowledges everything it sends. */
    private static final class ScriptedServer extends AbstractPacketProtocol implements RawPacketProtocol {
        static final byte[] SELF = {10, 124, 0, 2};
        static final byte[] CLIENT = {10, 124, 0, 1};
        long rcvNxt = -1;
        long received;
        int largestPacket;
        int superPackets;
        int segmentSize;
        boolean trusted = true;

        @Override
        public void datagramReceived(ByteBuffer p, long destination, long source, int etherType) {
            byte[] packet = new byte[p.remaining()];
            p.get(p.position(), packet);
            if (packet[0] != 0x45 || packet[9] != 6 || OffloadPackets.get16(packet, 22) != 80) {
                return;
            }
            int clientPort = OffloadPackets.get16(packet, 20);
            long seq = OffloadPackets.get32(packet, 24);
            int flags = packet[33] & 0xFF;
            int payload = packet.length - 20 - ((packet[32] & 0xF0) >>> 4) * 4;
            try {
                if ((flags & 0x02) != 0) {
                    rcvNxt = (seq + 1) & 0xFFFFFFFFL;
                    transport.write(segment(SELF, 80, CLIENT, clientPort, 5000, rcvNxt, 0x12, MSS_OPTION, new byte[0]));
                    return;
                }
                if (payload > 0 && seq == rcvNxt) {
                    int size = transport.segmentOffload().receivedSegmentSize();
                    if (size > 0) {
                        superPackets++;
                        segmentSize = size;
                        trusted &= transport.segmentOffload().receivedChecksumTrusted();
                    }
                    largestPacket = Math.max(largestPacket, packet.length);
                    received += payload;
                    rcvNxt = (rcvNxt + payload) & 0xFFFFFFFFL;
                    transport.write(segment(SELF, 80, CLIENT, clientPort, 5001, rcvNxt, 0x10, new byte[0], new byte[0]));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void kernelTcpSendsArriveAsSuperPacketsLargerThanTheMtuWithTheirSegmentSize() throws Exception {
        ScriptedServer server = new ScriptedServer();
        start("jps0", server, "10.124.0.1/24");
        byte[] data = OffloadPackets.payload(256 * 1024, 5);
        try (SocketChannel client = SocketChannel.open()) {
            client.configureBlocking(false);
            client.bind(new InetSocketAddress(InetAddress.ofLiteral("10.124.0.1"), 0));
            client.connect(new InetSocketAddress(InetAddress.ofLiteral("10.124.0.2"), 80));
            ByteBuffer out = ByteBuffer.wrap(data);
            long deadline = System.nanoTime() + 10 * SECONDS;
            boolean connected = false;
            while (server.received < data.length && System.nanoTime() < deadline) {
                reactor.runOnce(10_000_000L);
                if (!connected) {
                    connected = client.finishConnect();
                }
                if (connected && out.hasRemaining()) {
                    client.write(out);
                }
            }
        }
        assertThat(server.received).isEqualTo(data.length);
        assertThat(server.superPackets).isPositive();
        assertThat(server.largestPacket).isGreaterThan(1500);
        assertThat(server.segmentSize).isEqualTo(MSS);
        assertThat(server.trusted).isTrue();
        assertThat(port.counters().superPacketsRead()).isEqualTo(server.superPackets);
    }

    /** A client at 10.125.0.2:40000 that records what the kernel's listener answers. */
    private static final class ScriptedClient extends AbstractPacketProtocol implements RawPacketProtocol {
        long serverIsn = -1;
        long acknowledged;

        @Override
        public void datagramReceived(ByteBuffer p, long destination, long source, int etherType) {
            byte[] packet = new byte[p.remaining()];
            p.get(p.position(), packet);
            if (packet[0] != 0x45 || packet[9] != 6 || OffloadPackets.get16(packet, 22) != 40000) {
                return;
            }
            int flags = packet[33] & 0xFF;
            if ((flags & 0x12) == 0x12) {
                serverIsn = OffloadPackets.get32(packet, 24);
            }
            if ((flags & 0x10) != 0) {
                acknowledged = Math.max(acknowledged, OffloadPackets.get32(packet, 28));
            }
        }
    }

    @Test
    void aWrittenTcpSuperPacketReachesAKernelListenerAsTheWholeRange() throws Exception {
        ScriptedClient client = new ScriptedClient();
        start("jps1", client, "10.125.0.1/24");
        byte[] self = {10, 125, 0, 2};
        byte[] kernel = {10, 125, 0, 1};
        byte[] data = OffloadPackets.payload(8 * MSS + 123, 7);
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.ofLiteral("10.125.0.1"), 8080));
            listener.configureBlocking(false);
            port.write(segment(self, 40000, kernel, 8080, 1000, 0, 0x02, MSS_OPTION, new byte[0]));
            long deadline = System.nanoTime() + 5 * SECONDS;
            while (client.serverIsn < 0 && System.nanoTime() < deadline) {
                reactor.runOnce(10_000_000L);
            }
            assertThat(client.serverIsn).as("SYN-ACK from the kernel").isNotNegative();
            long ack = (client.serverIsn + 1) & 0xFFFFFFFFL;
            port.write(segment(self, 40000, kernel, 8080, 1001, ack, 0x10, new byte[0], new byte[0]));
            byte[] superPacket = segment(self, 40000, kernel, 8080, 1001, ack, 0x18, new byte[0], data);
            assertThat(superPacket.length).isGreaterThan(1500);
            assertThat(port.segmentOffload().writeTcpSuperPacket(ByteBuffer.wrap(superPacket), MSS))
                .isEqualTo(superPacket.length);

            ByteBuffer in = ByteBuffer.allocate(data.length);
            SocketChannel accepted = null;
            deadline = System.nanoTime() + 5 * SECONDS;
            while ((in.hasRemaining() || client.acknowledged < 1001 + data.length) && System.nanoTime() < deadline) {
                reactor.runOnce(10_000_000L);
                if (accepted == null) {
                    accepted = listener.accept();
                }
                if (accepted != null && in.hasRemaining()) {
                    accepted.configureBlocking(false);
                    accepted.read(in);
                }
            }
            if (accepted != null) {
                accepted.close();
            }
            assertThat(in.position()).isEqualTo(data.length);
            assertThat(Arrays.equals(in.array(), data)).isTrue();
            assertThat(client.acknowledged).isEqualTo(1001L + data.length);
            assertThat(port.counters().superPacketsWritten()).isEqualTo(1);
        }
    }
}
