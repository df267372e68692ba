package io.jpair.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.stream.Protocol;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A bulk transfer between two jpair stacks on the in-memory link allocates nothing per segment in
 * steady state: sending from the ring, receiving in place, ACKs once per batch, timers re-armed
 * in place. Measured with the thread's allocated-bytes counter (the link's buffers are pooled).
 */
class TcpAllocationTest {
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Counts and drops what arrives. */
    static final class Sink extends Protocol {
        long bytes;

        @Override
        public void dataReceived(ByteBuffer data) {
            bytes += data.remaining();
            data.position(data.limit());
        }
    }

    /** Echoes what arrives. */
    static final class Echo extends Protocol {
        @Override
        public void dataReceived(ByteBuffer data) {
            transport().write(data);
        }
    }

    private static void transfer(TcpPair pair, Protocol client, ByteBuffer chunk, long segments) {
        long target = pair.client.segmentsSent() + pair.server.segmentsSent() + segments;
        while (pair.client.segmentsSent() + pair.server.segmentsSent() < target) {
            if (client.transport().bufferedBytes() < 128 * 1024) {
                client.transport().write(chunk);
            }
            pair.link.pump();
        }
    }

    @Test
    void bulkTransferAndEchoAllocateNothingPerSegment() {
        TcpPair pair = new TcpPair(1);
        pair.server.listen(9, peer -> new Echo());
        Sink client = new Sink();
        pair.client.connect(new java.net.InetSocketAddress(java.net.InetAddress.ofLiteral("10.0.0.2"), 9),
            peer -> client);
        pair.settle();
        ByteBuffer chunk = ByteBuffer.allocateDirect(16 * 1024);
        for (int i = 0; i < 20; i++) {
            transfer(pair, client, chunk, 10_000);
        }
        long segments = 20_000;
        long before = allocatedBytes();
        transfer(pair, client, chunk, segments);
        long bytes = allocatedBytes() - before;
        System.out.printf("allocated %d bytes over %d segments (%.3f B/segment), %d bytes echoed%n", bytes, segments,
            (double) bytes / segments, client.bytes);
        assertThat(client.bytes).isPositive();
        assertThat(bytes).as("bytes allocated for %d segments", segments).isLessThan(segments / 2);
    }
}
