package io.jpair.tuntap.offload;

import static io.jpair.tuntap.offload.OffloadPackets.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Splitting and coalescing allocate nothing per packet: 10 000 super-packets of 42 segments are
 * split and coalesced again with the thread's allocation counter flat after warm-up.
 */
class OffloadAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int OFFSET = 16;
    private static final int ROUNDS = 10_000;

    @Test
    void splitThenCoalesceAllocatesNothingPerPacket() {
        ByteBuffer in = ByteBuffer.allocateDirect(VirtioNetHeader.MAX_FRAME_LENGTH + OFFSET);
        ByteBuffer[] out = OffloadPackets.buffers(64, OFFSET + 65535);
        int[] sizes = new int[64];
        GroTable table = new GroTable(64, true, true);
        VirtioNetHeader header = new VirtioNetHeader();
        byte[] superPacket = OffloadPackets.tcp(false, 40000, 80, 1, 2, ACK, new byte[0], new byte[1400 * 42]);
        OffloadPackets.place(in, OFFSET, superPacket);
        OffloadPackets.asKernelSuperPacket(in, OFFSET, VirtioNetHeader.GSO_TCPV4, 1400);
        header.wrap(in, OFFSET - VirtioNetHeader.LENGTH);
        for (int i = 0; i < 2_000; i++) {
            cycle(in, out, sizes, table, header, superPacket.length);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        int writes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            writes += cycle(in, out, sizes, table, header, superPacket.length);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(writes).isEqualTo(ROUNDS);
        assertThat(allocated).as("bytes allocated for %d x 42 packets", ROUNDS).isLessThan(1024);
    }

    private static int cycle(ByteBuffer in, ByteBuffer[] out, int[] sizes, GroTable table, VirtioNetHeader header,
            int length) {
        int n = GsoSplitter.split(header, in, OFFSET, length, out, sizes, 0, OFFSET);
        return table.coalesce(out, n, OFFSET);
    }
}
