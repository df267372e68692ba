package io.jpair.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jpair.testing.MemoryReactor;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Buffered writes allocate nothing once the buffer has grown to the peak backlog: the stream
 * transports to come write every segment through it.
 */
class FileDescriptorAllocationTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Takes half of what is buffered per flush, so bytes stay buffered between writes. */
    private static final class DrainingDescriptor extends FileDescriptor {
        long flushed;

        DrainingDescriptor(MemoryReactor reactor) {
            super(reactor);
            connected = true;
        }

        @Override
        protected int writeSomeData(ByteBuffer data) {
            int n = Math.max(1, data.remaining() / 2);
            data.position(data.position() + n);
            flushed += n;
            return n;
        }

        @Override
        public void doRead() {
        }

        @Override
        public int fileno() {
            return 7;
        }
    }

    private static void writeAndFlush(DrainingDescriptor descriptor, ByteBuffer chunk, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            descriptor.write(chunk);
            descriptor.write(chunk);
            descriptor.doWrite();
        }
    }

    @Test
    void bufferedWritesAllocateNothingInSteadyState() throws Exception {
        DrainingDescriptor descriptor = new DrainingDescriptor(new MemoryReactor());
        ByteBuffer chunk = ByteBuffer.allocateDirect(1400);
        writeAndFlush(descriptor, chunk, 50_000);
        long before = THREADS.getCurrentThreadAllocatedBytes();
        writeAndFlush(descriptor, chunk, 10_000);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(descriptor.flushed).isGreaterThan(10_000L * 2800 - FileDescriptor.BUFFER_SIZE);
        assertThat(allocated).as("bytes allocated for 20,000 buffered writes").isLessThan(1024);
    }
}
