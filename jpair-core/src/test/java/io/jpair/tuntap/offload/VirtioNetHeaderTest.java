package io.jpair.tuntap.offload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {
    @Test
    void fieldsAreLittleEndianAtTheirKernelOffsets() {
        ByteBuffer buffer = ByteBuffer.allocate(12);
        new VirtioNetHeader().wrap(buffer, 2).flags(VirtioNetHeader.F_NEEDS_CSUM).gsoType(VirtioNetHeader.GSO_UDP_L4)
            .hdrLen(28).gsoSize(1400).csumStart(20).csumOffset(6);
        assertThat(buffer.array()).containsExactly(0, 0, 1, 5, 28, 0, 0x78, 0x05, 20, 0, 6, 0);
    }

    @Test
    void readsTheHeaderTheKernelReportedForAUdpGsoRead() {
        // flags=NEEDS_CSUM gso_type=5 hdr_len=28 gso_size=1400 csum_start=20 csum_offset=6 (RESULTS.md)
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 5, 28, 0, 0x78, 0x05, 20, 0, 6, 0}).order(ByteOrder.BIG_ENDIAN);
        VirtioNetHeader header = new VirtioNetHeader().wrap(buffer, 0);
        assertThat(header.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(header.gsoType()).isEqualTo(VirtioNetHeader.GSO_UDP_L4);
        assertThat(header.hdrLen()).isEqualTo(28);
        assertThat(header.gsoSize()).isEqualTo(1400);
        assertThat(header.csumStart()).isEqualTo(20);
        assertThat(header.csumOffset()).isEqualTo(6);
    }

    @Test
    void wrapRejectsFewerThanTenBytes() {
        assertThatThrownBy(() -> new VirtioNetHeader().wrap(ByteBuffer.allocate(15), 6))
            .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("10 bytes at 6");
    }

    @Test
    void clearZeroesAllTenBytesAndNothingElse() {
        ByteBuffer buffer = ByteBuffer.allocate(12);
        for (int i = 0; i < 12; i++) {
            buffer.put(i, (byte) 0x55);
        }
        VirtioNetHeader.clear(buffer, 1);
        assertThat(buffer.get(0)).isEqualTo((byte) 0x55);
        assertThat(buffer.get(11)).isEqualTo((byte) 0x55);
        for (int i = 1; i < 11; i++) {
            assertThat(buffer.get(i)).isZero();
        }
    }

    @Property
    void writtenFieldsReadBack(@ForAll @IntRange(max = 255) int flags, @ForAll @IntRange(max = 255) int gsoType,
            @ForAll @IntRange(max = 65535) int hdrLen, @ForAll @IntRange(max = 65535) int gsoSize,
            @ForAll @IntRange(max = 65535) int csumStart, @ForAll @IntRange(max = 65535) int csumOffset) {
        VirtioNetHeader header = new VirtioNetHeader().wrap(ByteBuffer.allocateDirect(10), 0).flags(flags)
            .gsoType(gsoType).hdrLen(hdrLen).gsoSize(gsoSize).csumStart(csumStart).csumOffset(csumOffset);
        assertThat(new int[] {header.flags(), header.gsoType(), header.hdrLen(), header.gsoSize(), header.csumStart(),
            header.csumOffset()}).containsExactly(flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
    }
}
