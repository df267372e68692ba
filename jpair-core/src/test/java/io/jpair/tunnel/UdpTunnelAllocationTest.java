package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.MemoryUdpSocket;
import io.jpair.testing.MemoryUdpSystem;
import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.wire.DropCounter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The tunnel's packet path allocates nothing in steady state, either way, plain or offloaded
 * (measured with the thread's allocation counter after warm-up, on the in-memory device and
 * network); sealed, only the JDK cipher's per-init objects (see {@link DatagramSealAllocationTest}).
 */
class UdpTunnelAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.98.1.1", 5555);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.98.1.2", 5555);
    private static final int WARM_UP = 100_000;
    private static final int PACKETS = 20_000;
    private static final TunnelKey KEY = TunnelKey.of(new byte[32]);

    private final MemoryIOSystem tunSystem = new MemoryIOSystem();
    private final MemoryUdpSystem udpSystem = new MemoryUdpSystem();
    private UdpTunnel tunnel;
    private MemoryTunnel device;
    private MemoryUdpSocket socket;

    private void start(boolean offload, TunnelKey key) throws Exception {
        udpSystem.peer(PEER);
        tunnel = new UdpTunnel("jt0", LOCAL, PEER, new MemoryReactor(), tunSystem, udpSystem).withOffload(offload)
            .withKey(key);
        tunnel.start();
        device = tunSystem.getTunnel(tunnel.tun());
        socket = udpSystem.socket(tunnel.udp());
        device.recycleReads(true);
        device.recordWrites(false);
        socket.recycleReceives(true);
        socket.recordSends(false);
    }

    private static byte[] segment(int i) {
        return OffloadPackets.tcp(false, 5201, 40000, 1000 + i * 1360L, 1, OffloadPackets.ACK, new byte[0],
            OffloadPackets.payload(1360, i));
    }

    /** Bytes allocated per packet sent, after warm-up. */
    private long perPacketSent() throws Exception {
        while (tunnel.counters().packetsSent() < WARM_UP) {
            tunnel.tun().doRead();
        }
        long target = tunnel.counters().packetsSent() + PACKETS;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long start = tunnel.counters().packetsSent();
        while (tunnel.counters().packetsSent() < target) {
            tunnel.tun().doRead();
        }
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / (tunnel.counters().packetsSent() - start);
    }

    /** Bytes allocated per packet received, after warm-up. */
    private long perPacketReceived() throws Exception {
        while (tunnel.counters().packetsReceived() < WARM_UP) {
            tunnel.udp().doRead();
        }
        long target = tunnel.counters().packetsReceived() + PACKETS;
        long start = tunnel.counters().packetsReceived();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        while (tunnel.counters().packetsReceived() < target) {
            tunnel.udp().doRead();
        }
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / (tunnel.counters().packetsReceived() - start);
    }

    @Test
    void plainSendingAllocatesNothingPerPacket() throws Exception {
        start(false, null);
        for (int i = 0; i < 64; i++) {
            device.addToReadBuffer(segment(i));
        }
        assertThat(perPacketSent()).isZero();
    }

    @Test
    void plainReceivingAllocatesNothingPerPacket() throws Exception {
        start(false, null);
        for (int i = 0; i < 64; i++) {
            socket.deliver(segment(i), PEER);
        }
        assertThat(perPacketReceived()).isZero();
    }

    @Test
    void offloadedSendingOfSuperPacketsAllocatesNothingPerSegment() throws Exception {
        start(true, null);
        byte[] whole = OffloadPackets.tcp(false, 40000, 5201, 1000, 1, OffloadPackets.ACK, new byte[0],
            OffloadPackets.payload(40 * 1360, 3));
        ByteBuffer read = OffloadPackets.place(ByteBuffer.allocate(VirtioNetHeader.LENGTH + whole.length),
            VirtioNetHeader.LENGTH, whole);
        OffloadPackets.asKernelSuperPacket(read, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_TCPV4, 1360);
        device.readBuffer().add(OffloadPackets.bytes(read, 0));
        assertThat(perPacketSent()).isZero();
        assertThat(tunnel.udp().counters().superDatagramsWritten()).isPositive();
    }

    @Test
    void offloadedReceivingCoalescedIntoSuperPacketsAllocatesNothingPerSegment() throws Exception {
        start(true, null);
        for (int i = 0; i < 64; i++) {
            socket.deliver(segment(i), PEER);
        }
        assertThat(perPacketReceived()).isZero();
        assertThat(tunnel.tun().counters().superPacketsWritten()).isPositive();
    }

    @Test
    void sealedSendingAllocatesOnlyTheJdkCiphersInit() throws Exception {
        start(true, KEY);
        for (int i = 0; i < 64; i++) {
            device.addToReadBuffer(segment(i));
        }
        long perPacket = perPacketSent();
        System.out.printf("UdpTunnel sealed: %d bytes allocated per packet sent (JDK Cipher.init)%n", perPacket);
        assertThat(perPacket).isLessThan(DatagramSealAllocationTest.JDK_BYTES_PER_PACKET_BOUND / 2);
    }

    @Test
    void sealedReceivingAllocatesOnlyTheJdkCiphersInit() throws Exception {
        start(true, KEY);
        socket.recycleReceives(false);
        DatagramSeal far = new DatagramSeal(KEY, 7, 1, new DropCounter<>(TunnelDrop.class, getClass()));
        for (int i = 0; i < WARM_UP + PACKETS + 64; i++) {
            byte[] packet = segment(i % 64);
            byte[] datagram = new byte[packet.length + DatagramSeal.OVERHEAD];
            System.arraycopy(packet, 0, datagram, DatagramSeal.HEADER_LENGTH, packet.length);
            far.seal(datagram, 0, packet.length);
            socket.deliver(datagram, PEER);
        }
        long perPacket = perPacketReceived();
        System.out.printf("UdpTunnel sealed: %d bytes allocated per packet received (JDK Cipher.init)%n", perPacket);
        assertThat(tunnel.counters().drops().total()).isZero();
        assertThat(perPacket).isLessThan(DatagramSealAllocationTest.JDK_BYTES_PER_PACKET_BOUND / 2);
    }
}
