package io.jpair.tuntap.offload;

import static io.jpair.tuntap.offload.OffloadPackets.ACK;
import static io.jpair.tuntap.offload.OffloadPackets.PSH;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Splitting then coalescing gives the original super-packet back; every segment verifies. */
class GsoGroRoundTripTest {
    private static final int OFFSET = 16;
    private final ByteBuffer in = ByteBuffer.allocateDirect(VirtioNetHeader.MAX_FRAME_LENGTH + OFFSET);
    private final ByteBuffer[] out = OffloadPackets.buffers(64, OFFSET + 65535);
    private final int[] sizes = new int[64];
    private final GroTable table = new GroTable(64, true, true);
    private final VirtioNetHeader header = new VirtioNetHeader();

    @Property(tries = 300)
    void splitThenCoalesceRestoresTheSuperPacket(@ForAll boolean ipv6, @ForAll boolean udp,
            @ForAll @IntRange(min = GsoSplitter.MIN_TCP_GSO_SIZE, max = 1500) int mss,
            @ForAll @IntRange(min = 2, max = 64) int segments,
            @ForAll @IntRange(min = 1, max = 1500) int lastSize, @ForAll int seed) {
        int last = Math.min(lastSize, mss);
        int length = mss * (segments - 1) + last;
        Assume.that(length <= 65535 - 60);
        byte[] data = OffloadPackets.payload(length, seed);
        byte[] original = udp ? OffloadPackets.udp(ipv6, 5000, 9, data)
            : OffloadPackets.tcp(ipv6, 40000, 80, seed & 0xFFFFFFFFL, 3, ACK | PSH, new byte[] {1, 1, 1, 1}, data);
        int gsoType = udp ? VirtioNetHeader.GSO_UDP_L4 : ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
        OffloadPackets.place(in, OFFSET, original);
        OffloadPackets.asKernelSuperPacket(in, OFFSET, gsoType, mss);
        byte[] kernelForm = OffloadPackets.bytes(in, OFFSET);

        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH);
        int n = GsoSplitter.split(header, in, OFFSET, original.length, out, sizes, 0, OFFSET);
        assertThat(n).isEqualTo(segments);
        for (int i = 0; i < n; i++) {
            assertThat(OffloadPackets.checksumsValid(OffloadPackets.bytes(out[i], OFFSET))).as("segment %d", i).isTrue();
        }

        assertThat(table.coalesce(out, n, OFFSET)).isEqualTo(1);
        assertThat(OffloadPackets.bytes(out[0], OFFSET)).isEqualTo(kernelForm);
        VirtioNetHeader h = new VirtioNetHeader().wrap(out[0], OFFSET - VirtioNetHeader.LENGTH);
        assertThat(h.gsoType()).isEqualTo(gsoType);
        assertThat(h.gsoSize()).isEqualTo(mss);
        assertThat(h.flags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
    }
}
