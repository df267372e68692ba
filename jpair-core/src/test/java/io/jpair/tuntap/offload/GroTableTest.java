package io.jpair.tuntap.offload;

import static io.jpair.tuntap.offload.OffloadPackets.ACK;
import static io.jpair.tuntap.offload.OffloadPackets.PSH;
import static io.jpair.tuntap.offload.OffloadPackets.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GroTableTest {
    private static final int OFFSET = 12;
    private final ByteBuffer[] bufs = OffloadPackets.buffers(16, OFFSET + 65535);
    private final GroTable table = new GroTable(16, true, true);
    private final VirtioNetHeader header = new VirtioNetHeader();

    private void load(byte[]... packets) {
        for (int i = 0; i < packets.length; i++) {
            OffloadPackets.place(bufs[i], OFFSET, packets[i]);
        }
    }

    private byte[] tcp(long seq, int flags, int length) {
        return OffloadPackets.tcp(false, 40000, 80, seq, 9, flags, new byte[0], OffloadPackets.payload(length, (int) seq));
    }

    private VirtioNetHeader headerOf(int index) {
        return header.wrap(bufs[index], OFFSET - VirtioNetHeader.LENGTH);
    }

    @Test
    void consecutiveTcpSegmentsBecomeOneSuperPacket() {
        load(tcp(1000, ACK, 100), tcp(1100, ACK, 100), tcp(1200, ACK | PSH, 60));
        assertThat(table.coalesce(bufs, 3, OFFSET)).isEqualTo(1);
        assertThat(table.writeIndices()[0]).isZero();
        byte[] merged = OffloadPackets.bytes(bufs[0], OFFSET);
        assertThat(merged).hasSize(40 + 260);
        assertThat(OffloadPackets.get16(merged, 2)).isEqualTo(300);
        assertThat(OffloadPackets.sum(merged, 0, 20, 0)).as("IPv4 header checksum").isEqualTo(0xFFFF);
        assertThat(merged[33] & PSH).isEqualTo(PSH);
        VirtioNetHeader h = headerOf(0);
        assertThat(h.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(h.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(h.gsoSize()).isEqualTo(100);
        assertThat(h.hdrLen()).isEqualTo(40);
        assertThat(h.csumStart()).isEqualTo(20);
        assertThat(h.csumOffset()).isEqualTo(16);
        assertThat(OffloadPackets.get16(merged, 36)).as("pseudo-header sum in the checksum field")
            .isEqualTo(OffloadPackets.pseudo(merged, false, 6, 280));
    }

    @Test
    void singlePacketIsWrittenUnchangedWithAZeroHeader() {
        byte[] packet = tcp(1000, ACK, 100);
        load(packet);
        for (int i = 0; i < VirtioNetHeader.LENGTH; i++) {
            bufs[0].put(OFFSET - VirtioNetHeader.LENGTH + i, (byte) 0x77);
        }
        assertThat(table.coalesce(bufs, 1, OFFSET)).isEqualTo(1);
        assertThat(OffloadPackets.bytes(bufs[0], OFFSET)).isEqualTo(packet);
        assertThat(headerOf(0).flags()).isZero();
        assertThat(headerOf(0).gsoType()).isZero();
    }

    @Test
    void sequenceGapStartsANewSuperPacket() {
        load(tcp(1000, ACK, 100), tcp(1100, ACK, 100), tcp(5000, ACK, 100), tcp(5100, ACK, 100));
        assertThat(table.coalesce(bufs, 4, OFFSET)).isEqualTo(2);
        assertThat(table.writeIndices()).startsWith(0, 2);
        assertThat(table.coalescedCount()).isEqualTo(2);
    }

    @Test
    void pshEndsASuperPacket() {
        load(tcp(1000, ACK | PSH, 100), tcp(1100, ACK, 100));
        assertThat(table.coalesce(bufs, 2, OFFSET)).isEqualTo(2);
    }

    @Test
    void shorterSegmentEndsASuperPacket() {
        load(tcp(1000, ACK, 100), tcp(1100, ACK, 50), tcp(1150, ACK, 50));
        assertThat(table.coalesce(bufs, 3, OFFSET)).isEqualTo(2);
        assertThat(bufs[0].limit() - OFFSET).isEqualTo(40 + 150);
    }

    @Test
    void synAndPureAcksAreNotCoalesced() {
        load(tcp(1000, SYN, 0), tcp(1001, ACK, 0), tcp(1001, ACK, 0));
        assertThat(table.coalesce(bufs, 3, OFFSET)).isEqualTo(3);
        assertThat(table.coalescedCount()).isZero();
    }

    @Test
    void interleavedFlowsCoalesceSeparately() {
        byte[] a1 = tcp(1000, ACK, 100);
        byte[] b1 = OffloadPackets.tcp(false, 40001, 80, 7, 9, ACK, new byte[0], new byte[100]);
        byte[] a2 = tcp(1100, ACK, 100);
        byte[] b2 = OffloadPackets.tcp(false, 40001, 80, 107, 9, ACK, new byte[0], new byte[100]);
        load(a1, b1, a2, b2);
        assertThat(table.coalesce(bufs, 4, OFFSET)).isEqualTo(2);
        assertThat(table.writeIndices()).startsWith(0, 1);
    }

    @Test
    void differentAckNumbersAreDifferentFlows() {
        load(tcp(1000, ACK, 100), OffloadPackets.tcp(false, 40000, 80, 1100, 10, ACK, new byte[0], new byte[100]));
        assertThat(table.coalesce(bufs, 2, OFFSET)).isEqualTo(2);
    }

    @Test
    void udpDatagramsOfOneSizeCoalesceWithUdpGsoHeader() {
        load(OffloadPackets.udp(true, 5000, 9, new byte[500]), OffloadPackets.udp(true, 5000, 9, new byte[500]),
            OffloadPackets.udp(true, 5000, 9, new byte[200]));
        assertThat(table.coalesce(bufs, 3, OFFSET)).isEqualTo(1);
        byte[] merged = OffloadPackets.bytes(bufs[0], OFFSET);
        assertThat(OffloadPackets.get16(merged, 4)).as("IPv6 payload length").isEqualTo(8 + 1200);
        assertThat(OffloadPackets.get16(merged, 44)).as("UDP length").isEqualTo(8 + 1200);
        assertThat(headerOf(0).gsoType()).isEqualTo(VirtioNetHeader.GSO_UDP_L4);
        assertThat(headerOf(0).gsoSize()).isEqualTo(500);
        assertThat(headerOf(0).csumStart()).isEqualTo(40);
        assertThat(headerOf(0).csumOffset()).isEqualTo(6);
    }

    @Test
    void udpIsLeftAloneWhenUdpCoalescingIsOff() {
        GroTable tcpOnly = new GroTable(16, true, false);
        load(OffloadPackets.udp(false, 5000, 9, new byte[500]), OffloadPackets.udp(false, 5000, 9, new byte[500]));
        assertThat(tcpOnly.coalesce(bufs, 2, OFFSET)).isEqualTo(2);
    }

    @Test
    void superPacketNeverExceedsTheBufferCapacity() {
        ByteBuffer[] small = OffloadPackets.buffers(3, OFFSET + 40 + 250);
        OffloadPackets.place(small[0], OFFSET, tcp(1000, ACK, 100));
        OffloadPackets.place(small[1], OFFSET, tcp(1100, ACK, 100));
        OffloadPackets.place(small[2], OFFSET, tcp(1200, ACK, 100));
        assertThat(table.coalesce(small, 3, OFFSET)).isEqualTo(2);
        assertThat(small[0].limit()).isEqualTo(OFFSET + 240);
    }
}
