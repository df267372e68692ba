package io.jpair.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check the kernel tests rely on does see a leak: a buffer dropped without release. */
class RecordingLeakDetectorTest {
    @Test
    void aDroppedBufferIsReported() throws InterruptedException {
        RecordingLeakDetector.REPORTS.clear();
        leakOne();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (RecordingLeakDetector.REPORTS.isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
        assertThat(RecordingLeakDetector.REPORTS).isNotEmpty();
        RecordingLeakDetector.REPORTS.clear();
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeInt(1);
    }
}
