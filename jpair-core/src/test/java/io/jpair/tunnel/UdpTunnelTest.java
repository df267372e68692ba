package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryDatagram;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.MemoryUdpSocket;
import io.jpair.testing.MemoryUdpSystem;
import io.jpair.testing.Packets;
import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.wire.DropCounter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tunnel end on the in-memory TUN device and UDP network: what goes in on one side comes out on
 * the other, batched and coalesced, sealed when keyed, and what must not pass is counted and never
 * written into the device.
 */
class UdpTunnelTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.98.1.1", 5555);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.98.1.2", 5555);
    private static final TunnelKey KEY = TunnelKey.of(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});

    private final MemoryIOSystem tunSystem = new MemoryIOSystem();
    private final MemoryUdpSystem udpSystem = new MemoryUdpSystem();
    private final MemoryUdpSocket peerSocket = udpSystem.peer(PEER);
    private final DropCounter<TunnelDrop> peerDrops = new DropCounter<>(TunnelDrop.class, UdpTunnelTest.class);
    /** The far end's seal: same key, its own sender field. */
    private final DatagramSeal peerSeal = new DatagramSeal(KEY, 0x0BADCAFE, 1_000_000, peerDrops);
    private UdpTunnel tunnel;
    private MemoryTunnel device;
    private MemoryUdpSocket socket;

    private void start(boolean offload, boolean sealed) throws Exception {
        tunnel = new UdpTunnel("jt0", LOCAL, PEER, new MemoryReactor(), tunSystem, udpSystem).withOffload(offload)
            .withKey(sealed ? KEY : null);
        tunnel.start();
        device = tunSystem.getTunnel(tunnel.tun());
        socket = udpSystem.socket(tunnel.udp());
    }

    private static byte[] ipPacket(int payload) {
        return Packets.ipv4Udp("10.98.10.1", 4000, "10.98.10.2", 9, new byte[payload]);
    }

    private byte[] sealedByPeer(byte[] packet) {
        byte[] datagram = new byte[packet.length + DatagramSeal.OVERHEAD];
        System.arraycopy(packet, 0, datagram, DatagramSeal.HEADER_LENGTH, packet.length);
        peerSeal.seal(datagram, 0, packet.length);
        return datagram;
    }

    private void fromPeer(byte[] datagram) throws Exception {
        socket.deliver(datagram, PEER);
        tunnel.udp().doRead();
    }

    @Test
    void aPacketReadFromTheDeviceGoesToThePeerAsItIs() throws Exception {
        start(false, false);
        byte[] packet = ipPacket(100);
        device.addToReadBuffer(packet);

        tunnel.tun().doRead();

        List<MemoryDatagram> sent = socket.sent();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().payload()).isEqualTo(packet);
        assertThat(socket.peer()).as("connected: every datagram goes to the peer").isEqualTo(PEER);
        assertThat(tunnel.counters().packetsSent()).isEqualTo(1);
    }

    @Test
    void aDatagramFromThePeerIsWrittenIntoTheDevice() throws Exception {
        start(false, false);
        byte[] packet = ipPacket(200);

        fromPeer(packet);

        assertThat(device.writtenPackets()).containsExactly(packet);
        assertThat(tunnel.counters().packetsReceived()).isEqualTo(1);
        assertThat(tunnel.counters().bytesReceived()).isEqualTo(packet.length);
    }

    @Test
    void aDatagramThatIsNotAnIpPacketIsDroppedAndNeverWritten() throws Exception {
        start(false, false);

        fromPeer(new byte[] {0x00, 1, 2, 3});

        assertThat(device.writeCount()).isZero();
        assertThat(tunnel.counters().drops().get(TunnelDrop.NOT_IP)).isEqualTo(1);
    }

    @Test
    void theDatagramsOfOneDeviceReadBatchLeaveInOneSendAtItsEnd() throws Exception {
        start(false, false);
        for (int i = 0; i < 5; i++) {
            device.addToReadBuffer(ipPacket(100 + i));
        }

        tunnel.tun().doRead();

        assertThat(socket.sent()).hasSize(5);
        assertThat(tunnel.udp().counters().writeCalls()).isEqualTo(1);
    }

    @Test
    void aSealedPacketOpensAtTheFarEndAndShowsNothingOnTheWire() throws Exception {
        start(false, true);
        byte[] packet = ipPacket(300);
        device.addToReadBuffer(packet);

        tunnel.tun().doRead();

        byte[] datagram = socket.sent().getFirst().payload();
        assertThat(datagram).hasSize(packet.length + DatagramSeal.OVERHEAD);
        assertThat(Arrays.copyOfRange(datagram, 12, 12 + packet.length)).isNotEqualTo(packet);
        assertThat(peerSeal.open(datagram, 0, datagram.length)).isEqualTo(packet.length);
        assertThat(Arrays.copyOfRange(datagram, 12, 12 + packet.length)).isEqualTo(packet);
    }

    @Test
    void aSealedTunnelWarmsItsCipherUpOnlyWhenAskedAndStillCarriesPackets() throws Exception {
        tunnel = new UdpTunnel("jt0", LOCAL, PEER, new MemoryReactor(), tunSystem, udpSystem).withKey(KEY)
            .withSealWarmUp(Duration.ofMillis(20));
        tunnel.start();
        device = tunSystem.getTunnel(tunnel.tun());
        socket = udpSystem.socket(tunnel.udp());
        device.addToReadBuffer(ipPacket(300));

        tunnel.tun().doRead();

        assertThat(tunnel.warmedDatagrams()).isPositive();
        assertThat(tunnel.counters().packetsSent()).isEqualTo(1);
        assertThat(socket.sent()).hasSize(1);
    }

    @Test
    void withoutAskingNoWarmUpRuns() throws Exception {
        start(false, true);

        assertThat(tunnel.warmedDatagrams()).isZero();
    }

    @Test
    void aSealedDatagramFromThePeerIsOpenedIntoTheDevice() throws Exception {
        start(false, true);
        byte[] packet = ipPacket(400);

        fromPeer(sealedByPeer(packet));

        assertThat(device.writtenPackets()).containsExactly(packet);
    }

    @Test
    void forgedReplayedAndPlainDatagramsAreCountedAndNeverWritten() throws Exception {
        start(false, true);
        byte[] genuine = sealedByPeer(ipPacket(64));
        byte[] forged = sealedByPeer(ipPacket(64));
        forged[forged.length - 1] ^= 1;

        fromPeer(genuine.clone());
        fromPeer(genuine.clone());
        fromPeer(forged);
        fromPeer(ipPacket(64));

        assertThat(device.writeCount()).isEqualTo(1);
        DropCounter<TunnelDrop> drops = tunnel.counters().drops();
        assertThat(drops.get(TunnelDrop.REPLAYED)).as("the second copy").isEqualTo(1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).as("the forgery and the plain packet").isEqualTo(2);
    }

    @Test
    void withOffloadTheSegmentsOfASuperPacketLeaveAsOneGsoSend() throws Exception {
        start(true, true);
        byte[] payload = OffloadPackets.payload(10 * 1360 + 500, 3);
        byte[] whole = OffloadPackets.tcp(false, 40000, 5201, 1000, 1, OffloadPackets.ACK, new byte[0], payload);
        ByteBuffer read = OffloadPackets.place(ByteBuffer.allocate(VirtioNetHeader.LENGTH + whole.length),
            VirtioNetHeader.LENGTH, whole);
        OffloadPackets.asKernelSuperPacket(read, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_TCPV4, 1360);
        device.readBuffer().add(OffloadPackets.bytes(read, 0));

        tunnel.tun().doRead();

        List<MemoryDatagram> sent = socket.sent();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().segmentSize()).isEqualTo(40 + 1360 + DatagramSeal.OVERHEAD);
        byte[][] segments = sent.getFirst().segments();
        assertThat(segments.length).isEqualTo(11);
        byte[] last = segments[10];
        assertThat(peerSeal.open(last, 0, last.length)).isEqualTo(40 + 500);
        assertThat(tunnel.counters().packetsSent()).isEqualTo(11);
    }

    @Test
    void withOffloadTheTcpSegmentsOfOneSocketBatchEnterTheDeviceAsOneSuperPacket() throws Exception {
        start(true, false);
        for (int i = 0; i < 4; i++) {
            socket.deliver(OffloadPackets.tcp(false, 5201, 40000, 1000 + i * 1360L, 1, OffloadPackets.ACK, new byte[0],
                OffloadPackets.payload(1360, i)), PEER);
        }

        tunnel.udp().doRead();

        assertThat(device.writeBuffer()).hasSize(1);
        assertThat(VirtioNetHeader.gsoType(ByteBuffer.wrap(device.writeBuffer().getFirst()), 0))
            .isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(tunnel.counters().packetsReceived()).isEqualTo(4);
    }

    @Test
    void stopClosesTheDeviceAndTheSocket() throws Exception {
        start(true, true);

        tunnel.stop();
        ((MemoryReactor) tunnel.tun().reactor()).advance(java.time.Duration.ZERO);

        assertThat(device.isClosed()).isTrue();
        assertThat(socket.isClosed()).isTrue();
        assertThat(tunnel.isRunning()).isFalse();
    }
}
