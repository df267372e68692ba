package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IpPacket;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.transport.SegmentOffload;
import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TSO seams of a TUN port with {@link OffloadOptions#withTcpSuperPackets(boolean)}: kernel TCP
 * super-packets delivered unsplit with their segment size, and TCP super-packets written for the
 * kernel to segment, on {@link MemoryIOSystem}'s virtio-capable fake ({@code
 * TcpSuperPacketKernelTest} proves both on a real device).
 */
class TuntapPortTcpSuperPacketTest {
    private static final int MSS = 1000;

    private final MemoryIOSystem memory = new MemoryIOSystem();
    private final MemoryReactor reactor = new MemoryReactor();
    private final OffloadRecorder protocol = new OffloadRecorder();
    private TuntapPort port;
    private MemoryTunnel tunnel;

    /** Records each packet with what the port's offload said about it during the call. */
    private static final class OffloadRecorder extends RecordingIpProtocol {
        final List<Integer> segmentSizes = new ArrayList<>();
        final List<Boolean> trusted = new ArrayList<>();

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            super.datagramReceived(packet, destination, source, etherType);
            segmentSizes.add(transport.segmentOffload().receivedSegmentSize());
            trusted.add(transport.segmentOffload().receivedChecksumTrusted());
        }
    }

    private void start(OffloadOptions offload) throws Exception {
        port = new TuntapPort("jpt0", protocol, TunnelOptions.defaults(), offload, reactor, memory);
        port.startListening();
        tunnel = memory.getTunnel(port);
    }

    private static byte[] tcp(boolean ipv6, int payload) {
        return OffloadPackets.tcp(ipv6, 40000, 80, 1_000_000, 7, 0x18, new byte[0], OffloadPackets.payload(payload, 3));
    }

    private void arriveAsKernelSuperPacket(byte[] packet, int gsoType) {
        ByteBuffer frame = OffloadPackets.place(ByteBuffer.allocate(VirtioNetHeader.MAX_FRAME_LENGTH),
            VirtioNetHeader.LENGTH, packet);
        OffloadPackets.asKernelSuperPacket(frame, VirtioNetHeader.LENGTH, gsoType, MSS);
        tunnel.readBuffer().add(OffloadPackets.bytes(frame, 0));
    }

    @Test
    void byDefaultTcpSuperPacketsAreSplitAndTheOffloadIsNone() throws Exception {
        start(OffloadOptions.enabled());
        arriveAsKernelSuperPacket(tcp(false, 3 * MSS), VirtioNetHeader.GSO_TCPV4);
        port.doRead();

        assertThat(protocol.received).hasSize(3).allSatisfy(p -> assertThat(p).hasSize(40 + MSS));
        assertThat(port.segmentOffload()).isSameAs(SegmentOffload.NONE);
    }

    @Test
    void aTcpSuperPacketIsDeliveredWholeWithItsSegmentSize() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        byte[] packet = tcp(false, 3 * MSS + 17);
        arriveAsKernelSuperPacket(packet, VirtioNetHeader.GSO_TCPV4);
        port.doRead();

        assertThat(protocol.received).hasSize(1);
        assertThat(protocol.received.getFirst()).hasSize(packet.length);
        assertThat(Arrays.copyOfRange(protocol.received.getFirst(), 40, packet.length))
            .isEqualTo(Arrays.copyOfRange(packet, 40, packet.length));
        assertThat(protocol.segmentSizes).containsExactly(MSS);
        assertThat(protocol.trusted).containsExactly(true);
        assertThat(port.counters().superPacketsRead()).isEqualTo(1);
    }

    @Test
    void anIpv6TcpSuperPacketIsDeliveredWholeToo() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        arriveAsKernelSuperPacket(tcp(true, 5 * MSS), VirtioNetHeader.GSO_TCPV6);
        port.doRead();

        assertThat(protocol.received).hasSize(1);
        assertThat(protocol.segmentSizes).containsExactly(MSS);
    }

    @Test
    void theSegmentSizeIsVisibleOnlyDuringTheSuperPacketsDelivery() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        arriveAsKernelSuperPacket(tcp(false, 2 * MSS), VirtioNetHeader.GSO_TCPV4);
        tunnel.addToReadBuffer(tcp(false, 10));
        port.doRead();

        assertThat(protocol.segmentSizes).containsExactly(MSS, 0);
        assertThat(protocol.trusted).containsExactly(true, false);
        assertThat(port.segmentOffload().receivedSegmentSize()).isZero();
        assertThat(port.segmentOffload().receivedChecksumTrusted()).isFalse();
    }

    @Test
    void udpSuperPacketsAreStillSplit() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        arriveAsKernelSuperPacket(OffloadPackets.udp(false, 5000, 9, OffloadPackets.payload(3 * MSS, 1)),
            VirtioNetHeader.GSO_UDP_L4);
        port.doRead();

        assertThat(protocol.received).hasSize(3);
        assertThat(protocol.segmentSizes).containsOnly(0);
    }

    @Test
    void theIpLayerTellsTcpTheSegmentSizeAndThatTheChecksumIsTrusted() throws Exception {
        IPProtocol ip = new IPProtocol();
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> trusted = new ArrayList<>();
        ip.addProto(6, (ByteBuffer payload, IpPacket packet) -> {
            sizes.add(packet.segmentSize());
            trusted.add(packet.checksumTrusted());
        });
        port = new TuntapPort("jpt0", ip, TunnelOptions.defaults(), OffloadOptions.enabled().withTcpSuperPackets(true),
            reactor, memory);
        port.startListening();
        tunnel = memory.getTunnel(port);
        byte[] packet = OffloadPackets.readdress(tcp(false, 4 * MSS), new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
        arriveAsKernelSuperPacket(packet, VirtioNetHeader.GSO_TCPV4);
        port.doRead();

        assertThat(sizes).containsExactly(MSS);
        assertThat(trusted).containsExactly(true);
        assertThat(ip.segmentOffload().canWriteTcpSuperPackets()).isTrue();
    }

    @Test
    void aWrittenTcpSuperPacketCarriesAVirtioHeaderForTheKernelToSegment() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        byte[] packet = tcp(false, 3 * MSS + 500);
        packet[36] = 0x12;  // a checksum field the port must overwrite
        ByteBuffer direct = ByteBuffer.allocateDirect(packet.length).put(packet).flip();

        assertThat(port.segmentOffload().canWriteTcpSuperPackets()).isTrue();
        assertThat(port.segmentOffload().writeTcpSuperPacket(direct, MSS)).isEqualTo(packet.length);

        assertThat(direct.position()).isZero();
        assertThat(direct.get(36)).isEqualTo((byte) 0x12);
        assertThat(tunnel.writeBuffer()).hasSize(1);
        byte[] frame = tunnel.writeBuffer().getFirst();
        VirtioNetHeader header = new VirtioNetHeader().wrap(ByteBuffer.wrap(frame), 0);
        assertThat(header.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(header.gsoSize()).isEqualTo(MSS);
        assertThat(header.hdrLen()).isEqualTo(40);
        assertThat(header.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(header.csumStart()).isEqualTo(20);
        assertThat(header.csumOffset()).isEqualTo(16);
        assertThat(port.counters().superPacketsWritten()).isEqualTo(1);
        assertThat(port.counters().packetsWritten()).isEqualTo(4);

        List<byte[]> segments = tunnel.writtenPackets();
        assertThat(segments).hasSize(4);
        assertThat(segments).allSatisfy(s -> assertThat(OffloadPackets.checksumsValid(s)).isTrue());
        assertThat(OffloadPackets.get32(segments.get(3), 24)).isEqualTo(1_000_000L + 3 * MSS);
    }

    @Test
    void theWrittenChecksumFieldIsThePseudoHeaderSumOfTheWholeSegment() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        byte[] packet = tcp(true, 2 * MSS + 1);
        port.segmentOffload().writeTcpSuperPacket(ByteBuffer.wrap(packet), MSS);

        // Completing the partial checksum as the kernel does (CHECKSUM_PARTIAL) gives the right one.
        ByteBuffer frame = ByteBuffer.wrap(tunnel.writeBuffer().getFirst());
        VirtioNetHeader header = new VirtioNetHeader().wrap(frame, 0);
        assertThat(header.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        int length = frame.capacity() - VirtioNetHeader.LENGTH;
        assertThat(GsoSplitter.completeChecksum(frame, VirtioNetHeader.LENGTH, length, header.csumStart(),
            header.csumOffset())).isTrue();
        assertThat(OffloadPackets.checksumsValid(OffloadPackets.bytes(frame, VirtioNetHeader.LENGTH))).isTrue();
    }

    @Test
    void aPayloadNoLargerThanTheMssGoesOutAsOnePacketWithAPartialChecksum() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        port.segmentOffload().writeTcpSuperPacket(ByteBuffer.wrap(tcp(false, MSS)), MSS);

        VirtioNetHeader header = new VirtioNetHeader().wrap(ByteBuffer.wrap(tunnel.writeBuffer().getFirst()), 0);
        assertThat(header.gsoType()).isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(header.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(tunnel.writtenPackets()).singleElement().satisfies(p -> assertThat(OffloadPackets.checksumsValid(p)).isTrue());
    }

    @Test
    void heldWritesGoOutBeforeTheSuperPacket() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true).withExplicitFlush(true));
        port.write(OffloadPackets.udp(false, 5000, 9, OffloadPackets.payload(10, 1)));
        port.segmentOffload().writeTcpSuperPacket(ByteBuffer.wrap(tcp(false, 2 * MSS)), MSS);

        List<byte[]> packets = tunnel.writtenPackets();
        assertThat(packets).hasSize(3);
        assertThat(packets.get(0)[9]).isEqualTo((byte) 17);
        assertThat(packets.get(1)[9]).isEqualTo((byte) 6);
    }

    @Test
    void malformedSuperPacketsAreRefusedNamingTheDevice() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        SegmentOffload offload = port.segmentOffload();
        byte[] udp = OffloadPackets.udp(false, 5000, 9, OffloadPackets.payload(100, 1));
        assertThatThrownBy(() -> offload.writeTcpSuperPacket(ByteBuffer.wrap(udp), MSS))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jpt0: ");
        byte[] truncated = Arrays.copyOf(tcp(false, 100), 90);
        assertThatThrownBy(() -> offload.writeTcpSuperPacket(ByteBuffer.wrap(truncated), MSS))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("total length");
        assertThatThrownBy(() -> offload.writeTcpSuperPacket(ByteBuffer.wrap(tcp(false, 100)), 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MSS");
        assertThat(tunnel.writeBuffer()).isEmpty();
    }

    @Test
    void withoutAVirtioHeaderSuperPacketsCannotBeWritten() throws Exception {
        start(OffloadOptions.disabled().withTcpSuperPackets(true));
        assertThat(port.segmentOffload().canWriteTcpSuperPackets()).isFalse();
        assertThatThrownBy(() -> port.segmentOffload().writeTcpSuperPacket(ByteBuffer.wrap(tcp(false, 3000)), MSS))
            .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("virtio header");
    }

    @Test
    void deliveringSuperPacketsAllocatesNothing() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        ByteBuffer frameBuffer = OffloadPackets.place(ByteBuffer.allocate(VirtioNetHeader.MAX_FRAME_LENGTH),
            VirtioNetHeader.LENGTH, tcp(false, 8 * MSS));
        OffloadPackets.asKernelSuperPacket(frameBuffer, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_TCPV4, MSS);
        byte[] frame = OffloadPackets.bytes(frameBuffer, 0);
        IPProtocol ip = new IPProtocol();
        int[] seen = new int[1];
        ip.addProto(6, (ByteBuffer payload, IpPacket packet) -> seen[0] += packet.segmentSize());
        port.stopListening();
        reactor.runOnce(0);
        port = new TuntapPort("jpt1", ip, TunnelOptions.defaults(), OffloadOptions.enabled().withTcpSuperPackets(true),
            reactor, memory);
        port.startListening();
        tunnel = memory.getTunnel(port);
        byte[] addressed = OffloadPackets.readdress(OffloadPackets.bytes(frameBuffer, VirtioNetHeader.LENGTH),
            new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
        System.arraycopy(addressed, 0, frame, VirtioNetHeader.LENGTH, addressed.length);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                tunnel.readBuffer().add(frame);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            port.doRead();
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(seen[0]).isEqualTo(3 * 20 * MSS);
        assertThat(allocated).isLessThan(4096);
    }

    @Test
    void writingSuperPacketsAllocatesNothing() throws Exception {
        start(OffloadOptions.enabled().withTcpSuperPackets(true));
        byte[] packet = tcp(false, 40 * MSS);
        ByteBuffer direct = ByteBuffer.allocateDirect(packet.length).put(packet).flip();
        SegmentOffload offload = port.segmentOffload();
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        tunnel.recordWrites(false);
        long allocated = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                offload.writeTcpSuperPacket(direct, MSS);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertThat(port.counters().superPacketsWritten()).isEqualTo(3000);
        assertThat(allocated).isLessThan(4096);
    }
}
