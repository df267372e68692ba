package io.jpair.tuntap;

import io.jpair.tuntap.offload.OffloadOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TunQueueReader}: a queue's batches handed over from the reactor, on the in-memory system. */
class TunQueueReaderTest {
    private final MemoryIOSystem memory = new MemoryIOSystem();
    private final List<List<byte[]>> batches = new ArrayList<>();
    private TunQueue queue;
    private MemoryTunnel tunnel;
    private TunQueueReader reader;

    @BeforeEach
    void open() throws Exception {
        queue = TunQueue.open("tq0", TunnelOptions.defaults(), OffloadOptions.disabled(), memory);
        tunnel = memory.openFiles().get(queue.fileno());
        reader = new TunQueueReader(queue, 1500, (packets, sizes, count, offset) -> {
            List<byte[]> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                assertThat(packets[i].position()).isEqualTo(offset);
                batch.add(Arrays.copyOfRange(bytes(packets[i]), offset, offset + sizes[i]));
            }
            batches.add(batch);
        });
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] all = new byte[buffer.limit()];
        buffer.get(0, all);
        return all;
    }

    private static byte[] packet(int port) {
        return Packets.ipv4Udp("10.0.0.1", port, "10.0.0.2", 9, new byte[] {1, 2, 3});
    }

    @Test
    void theQueuedPacketsAreHandedOverAsOneBatchWhenTheReactorSaysReadable() {
        MemoryReactor reactor = new MemoryReactor();
        reactor.addReader(reader);
        for (int i = 0; i < 5; i++) {
            tunnel.addToReadBuffer(packet(1000 + i));
        }
        reactor.fireReadable();

        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).hasSize(5);
        assertThat(batches.getFirst().get(3)).isEqualTo(packet(1003));
        assertThat(reader.batches()).isEqualTo(1);
    }

    @Test
    void anEmptyQueueHandsOverNothing() throws Exception {
        reader.doRead();

        assertThat(batches).isEmpty();
    }

    @Test
    void aQueueThatNeverEmptiesYieldsAfterTheBatchLimit() throws Exception {
        tunnel.addToReadBuffer(packet(1000));
        tunnel.recycleReads(true);
        reader.doRead();

        assertThat(batches).hasSize(TunQueueReader.MAX_BATCHES_PER_WAKEUP);
        assertThat(batches.getFirst()).hasSize(TunQueue.IDEAL_BATCH_SIZE);
    }

    @Test
    void theHandlersExceptionLeavesDoReadSoTheReactorDisconnectsTheReader() {
        TunQueueReader failing = new TunQueueReader(queue, 1500, (packets, sizes, count, offset) -> {
            throw new IllegalStateException("handler failed");
        });
        tunnel.addToReadBuffer(packet(1000));

        assertThatThrownBy(failing::doRead).hasMessage("handler failed");
    }

    @Test
    void aPacketSizeOutsideWhatAnMtuCanBeIsRefused() {
        assertThatThrownBy(() -> new TunQueueReader(queue, 67, (p, s, c, o) -> { }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("68..65535");
    }
}
