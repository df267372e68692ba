package io.jpair.tuntap.offload;

import static io.jpair.tuntap.offload.OffloadPackets.ACK;
import static io.jpair.tuntap.offload.OffloadPackets.FIN;
import static io.jpair.tuntap.offload.OffloadPackets.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GsoSplitterTest {
    private static final int OFFSET = 16;
    private final ByteBuffer in = ByteBuffer.allocateDirect(VirtioNetHeader.MAX_FRAME_LENGTH + OFFSET);
    private final ByteBuffer[] out = OffloadPackets.buffers(64, 2048);
    private final int[] sizes = new int[64];
    private final VirtioNetHeader header = new VirtioNetHeader();

    private int split(byte[] superPacket, int gsoType, int gsoSize) {
        OffloadPackets.place(in, OFFSET, superPacket);
        OffloadPackets.asKernelSuperPacket(in, OFFSET, gsoType, gsoSize);
        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH);
        return GsoSplitter.split(header, in, OFFSET, superPacket.length, out, sizes, 0, 4);
    }

    private byte[] segment(int i) {
        byte[] b = new byte[sizes[i]];
        out[i].get(4, b);
        return b;
    }

    @Test
    void tcpv4SuperPacketBecomesMssSizedSegmentsWithValidChecksums() {
        byte[] data = OffloadPackets.payload(5000, 1);
        byte[] superPacket = OffloadPackets.tcp(false, 40000, 80, 1000, 77, ACK | PSH | FIN, new byte[0], data);
        assertThat(split(superPacket, VirtioNetHeader.GSO_TCPV4, 1448)).isEqualTo(4);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            byte[] s = segment(i);
            assertThat(OffloadPackets.checksumsValid(s)).as("segment %d checksums", i).isTrue();
            assertThat(OffloadPackets.get16(s, 2)).isEqualTo(s.length);
            assertThat(OffloadPackets.get16(s, 4)).as("IP id").isEqualTo(7 + i);
            assertThat(OffloadPackets.get32(s, 24)).as("seq").isEqualTo(1000 + 1448L * i);
            int flags = s[33] & 0xFF;
            assertThat(flags).isEqualTo(i == 3 ? ACK | PSH | FIN : ACK);
            joined.write(s, 40, s.length - 40);
        }
        assertThat(sizes[0]).isEqualTo(40 + 1448);
        assertThat(sizes[3]).isEqualTo(40 + 5000 - 3 * 1448);
        assertThat(joined.toByteArray()).isEqualTo(data);
        assertThat(out[1].position()).isEqualTo(4);
        assertThat(out[1].limit()).isEqualTo(4 + sizes[1]);
    }

    @Test
    void tcpv6SuperPacketWithOptionsKeepsTheOptionsInEverySegment() {
        byte[] options = {1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6};
        byte[] data = OffloadPackets.payload(3000, 2);
        byte[] superPacket = OffloadPackets.tcp(true, 40000, 80, 0xFFFFFF00L, 1, ACK, options, data);
        assertThat(split(superPacket, VirtioNetHeader.GSO_TCPV6, 1000)).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            byte[] s = segment(i);
            assertThat(OffloadPackets.checksumsValid(s)).isTrue();
            assertThat(OffloadPackets.get16(s, 4)).as("payload length").isEqualTo(s.length - 40);
            assertThat(OffloadPackets.get32(s, 44)).as("seq wraps").isEqualTo((0xFFFFFF00L + 1000L * i) & 0xFFFFFFFFL);
            assertThat(s[52] & 0xFF).as("data offset").isEqualTo(8 << 4);
        }
    }

    @Test
    void udpSuperPacketBecomesDatagramsWithTheirOwnLengths() {
        byte[] data = OffloadPackets.payload(1400 * 3 + 100, 3);
        byte[] superPacket = OffloadPackets.udp(false, 5000, 9, data);
        assertThat(split(superPacket, VirtioNetHeader.GSO_UDP_L4, 1400)).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            byte[] s = segment(i);
            assertThat(OffloadPackets.checksumsValid(s)).isTrue();
            assertThat(OffloadPackets.get16(s, 24)).as("UDP length").isEqualTo(s.length - 20);
        }
        assertThat(sizes[3]).isEqualTo(28 + 100);
    }

    @Test
    void nonGsoPacketWithPartialChecksumIsCompleted() {
        byte[] packet = OffloadPackets.udp(true, 5000, 9, OffloadPackets.payload(333, 4));
        OffloadPackets.place(in, OFFSET, packet);
        OffloadPackets.asKernelSuperPacket(in, OFFSET, VirtioNetHeader.GSO_UDP_L4, 1400);
        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH).gsoType(VirtioNetHeader.GSO_NONE).gsoSize(0);
        assertThat(GsoSplitter.split(header, in, OFFSET, packet.length, out, sizes, 0, 4)).isEqualTo(1);
        assertThat(segment(0)).isEqualTo(packet);
    }

    @Test
    void plainPacketIsCopiedUnchanged() {
        byte[] packet = OffloadPackets.tcp(false, 1, 2, 3, 4, ACK, new byte[0], new byte[10]);
        OffloadPackets.place(in, OFFSET, packet);
        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH).clear();
        assertThat(GsoSplitter.split(header, in, OFFSET, packet.length, out, sizes, 5, 4)).isEqualTo(1);
        assertThat(segment(5)).isEqualTo(packet);
    }

    @Test
    void tcpGsoTypeOnAUdpPacketIsMalformed() {
        assertThat(split(OffloadPackets.udp(false, 1, 2, new byte[3000]), VirtioNetHeader.GSO_TCPV4, 1000))
            .isEqualTo(GsoSplitter.MALFORMED);
    }

    @Test
    void moreSegmentsThanBuffersIsReportedBeforeWriting() {
        byte[] superPacket = OffloadPackets.udp(false, 1, 2, new byte[65 * 100]);
        assertThat(split(superPacket, VirtioNetHeader.GSO_UDP_L4, 100)).isEqualTo(GsoSplitter.TOO_MANY_SEGMENTS);
        assertThat(GsoSplitter.segmentCount(header, in, OFFSET, superPacket.length)).isEqualTo(65);
    }

    @Test
    void segmentLargerThanItsBufferIsReported() {
        byte[] superPacket = OffloadPackets.udp(false, 1, 2, new byte[6000]);
        assertThat(split(superPacket, VirtioNetHeader.GSO_UDP_L4, 3000)).isEqualTo(GsoSplitter.BUFFER_TOO_SMALL);
    }
    @Test
    void segmentProducesTheSameBytesAsSplitOneAtATime() {
        byte[] superPacket = OffloadPackets.tcp(false, 40000, 80, 5, 6, ACK | PSH, new byte[0], OffloadPackets.payload(4000, 8));
        assertThat(split(superPacket, VirtioNetHeader.GSO_TCPV4, 1448)).isEqualTo(3);
        ByteBuffer one = ByteBuffer.allocateDirect(2048);
        for (int i = 0; i < 3; i++) {
            int size = GsoSplitter.segment(header, in, OFFSET, superPacket.length, i, one, 0);
            byte[] b = new byte[size];
            one.get(0, b);
            assertThat(b).isEqualTo(segment(i));
            assertThat(one.limit()).isEqualTo(size);
        }
        assertThat(GsoSplitter.segment(header, in, OFFSET, superPacket.length, 3, one, 0)).isEqualTo(GsoSplitter.MALFORMED);
    }

    @Test
    void aTcpSegmentSizeBelowTheKernelsMinimumMssIsMalformed() {
        byte[] superPacket = OffloadPackets.tcp(false, 40000, 80, 1, 1, ACK, new byte[0], OffloadPackets.payload(870, 2));
        assertThat(split(superPacket, VirtioNetHeader.GSO_TCPV4, GsoSplitter.MIN_TCP_GSO_SIZE - 1))
            .isEqualTo(GsoSplitter.MALFORMED);
        assertThat(split(superPacket, VirtioNetHeader.GSO_TCPV4, GsoSplitter.MIN_TCP_GSO_SIZE)).isEqualTo(10);
    }

    @Test
    void aUdpSegmentSizeOfOneIsMalformedNotSixtyThousandSegments() {
        byte[] superPacket = OffloadPackets.udp(false, 5000, 9, OffloadPackets.payload(60_000, 3));
        OffloadPackets.place(in, OFFSET, superPacket);
        OffloadPackets.asKernelSuperPacket(in, OFFSET, VirtioNetHeader.GSO_UDP_L4, 1);
        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH);

        assertThat(GsoSplitter.segmentCount(header, in, OFFSET, superPacket.length)).isEqualTo(GsoSplitter.MALFORMED);
        assertThat(GsoSplitter.segment(header, in, OFFSET, superPacket.length, 0, out[0], 4))
            .isEqualTo(GsoSplitter.MALFORMED);
    }

    @Test
    void moreThanMaxSegmentsIsMalformedAndExactlyMaxIsSplit() {
        int size = 100;
        byte[] atMost = OffloadPackets.udp(false, 5000, 9, OffloadPackets.payload(GsoSplitter.MAX_SEGMENTS * size, 4));
        byte[] tooMany = OffloadPackets.udp(false, 5000, 9,
            OffloadPackets.payload(GsoSplitter.MAX_SEGMENTS * size + 1, 4));
        for (byte[] packet : new byte[][] {atMost, tooMany}) {
            OffloadPackets.place(in, OFFSET, packet);
            OffloadPackets.asKernelSuperPacket(in, OFFSET, VirtioNetHeader.GSO_UDP_L4, size);
            header.wrap(in, OFFSET - VirtioNetHeader.LENGTH);
            int expected = packet == atMost ? GsoSplitter.MAX_SEGMENTS : GsoSplitter.MALFORMED;
            assertThat(GsoSplitter.segmentCount(header, in, OFFSET, packet.length)).isEqualTo(expected);
        }
    }
}
