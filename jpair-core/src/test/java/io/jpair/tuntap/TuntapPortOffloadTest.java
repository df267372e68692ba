package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadPackets;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.tuntap.offload.WriteBatch;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TuntapPort} with offload: reads split super-packets and complete partial checksums; writes
 * made while a read batch is delivered are held and coalesced when it ends, on {@link MemoryIOSystem}'s offload-capable fake
 * ({@code TuntapPortOffloadKernelTest} proves the same on a real device).
 */
class TuntapPortOffloadTest {
    private final MemoryIOSystem memory = new MemoryIOSystem();
    private final MemoryReactor reactor = new MemoryReactor();
    private final EchoProtocol protocol = new EchoProtocol();
    private TuntapPort port;
    private MemoryTunnel tunnel;

    /** Records every packet and writes it back unchanged, keeping what each write returned. */
    private static final class EchoProtocol extends RecordingIpProtocol {
        final List<Integer> returned = new ArrayList<>();

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            super.datagramReceived(packet, destination, source, etherType);
            try {
                returned.add(transport.write(packet));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @BeforeEach
    void listen() throws Exception {
        startPort();
    }

    private void startPort() throws Exception {
        port = new TuntapPort("jpw0", protocol, TunnelOptions.defaults(), OffloadOptions.enabled(), reactor, memory);
        port.startListening();
        tunnel = memory.getTunnel(port);
    }

    private void arrive(byte[] packet) {
        tunnel.addToReadBuffer(packet);
    }

    private static byte[] udp(int sourcePort, int size) {
        return OffloadPackets.udp(false, sourcePort, 9, OffloadPackets.payload(size, sourcePort));
    }

    @Test
    void repliesToOneReadBatchOfAUdpFlowGoOutAsOneSuperPacket() throws Exception {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] packet = udp(5000, 100);
            OffloadPackets.ipHeader(packet, false, 17, packet.length, i);  // IP ids differ, as a real sender's do
            sent.add(packet);
            arrive(packet);
        }
        port.doRead();

        assertThat(protocol.returned).containsOnly(128);
        assertThat(tunnel.writeBuffer()).hasSize(1);
        byte[] written = tunnel.writeBuffer().getFirst();
        assertThat(VirtioNetHeader.gsoType(ByteBuffer.wrap(written), 0)).isEqualTo(VirtioNetHeader.GSO_UDP_L4);
        List<byte[]> split = tunnel.writtenPackets();
        assertThat(split).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(OffloadPackets.checksumsValid(split.get(i))).isTrue();
            assertThat(Arrays.copyOfRange(split.get(i), 28, 128)).isEqualTo(Arrays.copyOfRange(sent.get(i), 28, 128));
        }
        assertThat(port.counters().packetsWritten()).isEqualTo(8);
        assertThat(port.counters().bytesWritten()).isEqualTo(8 * 128);
        assertThat(port.counters().superPacketsWritten()).isEqualTo(1);
    }

    @Test
    void packetsOfDifferentFlowsAreWrittenSeparatelyAfterTheBatch() throws Exception {
        arrive(udp(5000, 100));
        arrive(udp(5001, 100));
        arrive(udp(5000, 100));
        port.doRead();

        assertThat(tunnel.writeBuffer()).hasSize(2);
        List<byte[]> packets = tunnel.writtenPackets();
        assertThat(packets).hasSize(3);
        assertThat(OffloadPackets.get16(packets.get(0), 20)).isEqualTo(5000);
        assertThat(OffloadPackets.get16(packets.get(1), 20)).isEqualTo(5000);
        assertThat(OffloadPackets.get16(packets.get(2), 20)).isEqualTo(5001);
        assertThat(port.counters().packetsWritten()).isEqualTo(3);
        assertThat(port.counters().superPacketsWritten()).isEqualTo(1);
    }

    @Test
    void aWriteOutsideAReadBatchIsWrittenAtOnce() throws Exception {
        byte[] packet = udp(5000, 100);
        assertThat(port.write(packet)).isEqualTo(packet.length);

        assertThat(tunnel.writeBuffer()).hasSize(1);
        assertThat(VirtioNetHeader.gsoType(ByteBuffer.wrap(tunnel.writeBuffer().getFirst()), 0))
            .isEqualTo(VirtioNetHeader.GSO_NONE);
    }

    @Test
    void moreHeldWritesThanSlotsAreFlushedAsTheSlotsFillUp() throws Exception {
        for (int i = 0; i < WriteBatch.SLOTS + 6; i++) {
            arrive(udp(5000, 40));
        }
        port.doRead();

        assertThat(tunnel.writeBuffer()).hasSize(2);
        assertThat(tunnel.writtenPackets()).hasSize(WriteBatch.SLOTS + 6);
        assertThat(port.counters().packetsWritten()).isEqualTo(WriteBatch.SLOTS + 6);
    }

    @Test
    void aFailedHeldWriteIsCountedAsDroppedAndReadingGoesOn() throws Exception {
        tunnel.injectWriteFault(Errno.EIO);
        arrive(udp(5000, 100));
        arrive(udp(5000, 100));
        port.doRead();

        assertThat(port.counters().droppedWrites()).isEqualTo(2);
        assertThat(port.counters().packetsWritten()).isZero();
        assertThat(port.isReading()).isTrue();
        arrive(udp(5000, 100));
        port.doRead();
        assertThat(port.counters().packetsWritten()).isEqualTo(1);
    }

    @Test
    void aSuperPacketWithGsoSizeOneIsDroppedAndCountedNotSplit() throws Exception {
        ByteBuffer superPacket = OffloadPackets.place(ByteBuffer.allocate(VirtioNetHeader.MAX_FRAME_LENGTH),
            VirtioNetHeader.LENGTH, udp(5001, 60_000));
        OffloadPackets.asKernelSuperPacket(superPacket, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_UDP_L4, 1);
        tunnel.readBuffer().add(OffloadPackets.bytes(superPacket, 0));
        port.doRead();

        assertThat(protocol.received).isEmpty();
        assertThat(port.counters().droppedReads()).isEqualTo(1);
    }

    @Test
    void aSuperPacketReadAfterACompletePacketIsStillSplit() throws Exception {
        arrive(udp(5000, 20));
        ByteBuffer superPacket = OffloadPackets.place(ByteBuffer.allocate(4096), VirtioNetHeader.LENGTH,
            udp(5001, 3 * 400));
        OffloadPackets.asKernelSuperPacket(superPacket, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_UDP_L4, 400);
        tunnel.readBuffer().add(OffloadPackets.bytes(superPacket, 0));  // as the kernel hands it over
        port.doRead();

        assertThat(protocol.received).hasSize(4);
        assertThat(protocol.received.subList(1, 4)).allSatisfy(segment -> {
            assertThat(segment).hasSize(428);
            assertThat(OffloadPackets.checksumsValid(segment)).isTrue();
        });
    }

    @Test
    void withoutUsoInTheKernelUdpRepliesAreWrittenOneByOne() throws Exception {
        port.stopListening();
        reactor.runOnce(0);
        memory.supportedOffloads(Offloads.TCP_SET);
        startPort();
        assertThat(port.offloads()).isEqualTo(Offloads.TCP_SET);
        for (int i = 0; i < 3; i++) {
            arrive(udp(5000, 100));
        }
        port.doRead();

        assertThat(tunnel.writeBuffer()).hasSize(3);
        assertThat(port.counters().superPacketsWritten()).isZero();
        assertThat(port.counters().packetsWritten()).isEqualTo(3);
    }

    @Test
    void aPartialChecksumIsCompletedBeforeThePacketIsDelivered() throws Exception {
        byte[] packet = udp(5000, 100);
        ByteBuffer read = OffloadPackets.place(ByteBuffer.allocate(4096), VirtioNetHeader.LENGTH, packet);
        OffloadPackets.asKernelSuperPacket(read, VirtioNetHeader.LENGTH, VirtioNetHeader.GSO_UDP_L4, 100);
        new VirtioNetHeader().wrap(read, 0).gsoType(VirtioNetHeader.GSO_NONE).gsoSize(0);  // one packet, NEEDS_CSUM
        tunnel.readBuffer().add(OffloadPackets.bytes(read, 0));
        port.doRead();

        assertThat(protocol.received).containsExactly(packet);
    }

    @Test
    void aPacketWhoseVirtioHeaderDoesNotFitIsDroppedAndCounted() throws Exception {
        byte[] packet = udp(5000, 100);
        ByteBuffer read = OffloadPackets.place(ByteBuffer.allocate(4096), VirtioNetHeader.LENGTH, packet);
        new VirtioNetHeader().wrap(read, 0).flags(VirtioNetHeader.F_NEEDS_CSUM).csumStart(200).csumOffset(6);
        tunnel.readBuffer().add(OffloadPackets.bytes(read, 0));
        arrive(packet);
        port.doRead();

        assertThat(port.counters().droppedReads()).isEqualTo(1);
        assertThat(protocol.received).containsExactly(packet);
    }

    @Test
    void aCompletePacketIsDeliveredWithoutItsVirtioHeader() throws Exception {
        byte[] packet = udp(5000, 100);
        arrive(packet);
        port.doRead();

        assertThat(protocol.received).containsExactly(packet);
        assertThat(port.counters().packetsRead()).isEqualTo(1);
        assertThat(port.counters().bytesRead()).isEqualTo(packet.length);
    }
}
