package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.OffloadPackets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Explicit batching, Netty-style: {@code readComplete()} after each read batch, and
 * {@code flush()} for writes held from anywhere with {@link OffloadOptions#explicitFlush()}.
 */
class TuntapPortBatchingTest {
    private final MemoryIOSystem memory = new MemoryIOSystem();
    private final MemoryReactor reactor = new MemoryReactor();

    /** Counts read batches; optionally echoes each packet from readComplete instead of at once. */
    private static final class BatchCounting extends RecordingIpProtocol {
        int completes;
        boolean echoOnComplete;

        @Override
        public void readComplete() {
            completes++;
            if (echoOnComplete) {
                for (byte[] packet : received) {
                    write(packet);
                }
                received.clear();
            }
        }

        void write(byte[] packet) {
            try {
                transport.write(packet);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private TuntapPort listen(BatchCounting protocol, OffloadOptions offload) throws Exception {
        TuntapPort port = new TuntapPort("jpb0", protocol, TunnelOptions.defaults(), offload, reactor, memory);
        port.startListening();
        return port;
    }

    private static byte[] udp(int sourcePort) {
        return OffloadPackets.udp(false, sourcePort, 9, OffloadPackets.payload(100, sourcePort));
    }

    @Test
    void readCompleteRunsOnceAfterEachBatch() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.disabled());
        MemoryTunnel tunnel = memory.getTunnel(port);
        tunnel.addToReadBuffer(udp(5000));
        tunnel.addToReadBuffer(udp(5000));
        port.doRead();
        tunnel.addToReadBuffer(udp(5000));
        port.doRead();

        assertThat(protocol.completes).isEqualTo(2);
    }

    @Test
    void readCompleteDoesNotRunWhenNothingWasRead() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.disabled());
        port.doRead();

        assertThat(protocol.completes).isZero();
    }

    @Test
    void writesMadeInReadCompleteAreCoalescedWithTheBatch() throws Exception {
        BatchCounting protocol = new BatchCounting();
        protocol.echoOnComplete = true;
        TuntapPort port = listen(protocol, OffloadOptions.enabled());
        MemoryTunnel tunnel = memory.getTunnel(port);
        for (int i = 0; i < 4; i++) {
            tunnel.addToReadBuffer(udp(5000));
        }
        port.doRead();

        assertThat(tunnel.writeBuffer()).as("one super-packet").hasSize(1);
        assertThat(tunnel.writtenPackets()).hasSize(4);
        assertThat(port.counters().superPacketsWritten()).isEqualTo(1);
    }

    @Test
    void withExplicitFlushATimersWritesAreHeldUntilFlush() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.enabled().withExplicitFlush(true));
        MemoryTunnel tunnel = memory.getTunnel(port);
        reactor.callLater(Duration.ofMillis(10), () -> {
            for (int i = 0; i < 3; i++) {
                protocol.write(udp(6000));
            }
        });
        reactor.advance(Duration.ofMillis(10));
        assertThat(tunnel.writeBuffer()).as("held").isEmpty();

        port.flush();

        assertThat(tunnel.writeBuffer()).hasSize(1);
        assertThat(tunnel.writtenPackets()).hasSize(3);
        assertThat(port.counters().packetsWritten()).isEqualTo(3);
    }

    @Test
    void withoutExplicitFlushATimersWriteGoesOutAtOnce() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.enabled());
        protocol.write(udp(6000));

        assertThat(memory.getTunnel(port).writeBuffer()).hasSize(1);
    }

    @Test
    void heldWritesGoOutBeforeTheFdCloses() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.enabled().withExplicitFlush(true));
        MemoryTunnel tunnel = memory.getTunnel(port);
        protocol.write(udp(6000));
        protocol.write(udp(6000));

        port.stopListening();
        reactor.advance(Duration.ZERO);

        assertThat(tunnel.writtenPackets()).hasSize(2);
        assertThat(port.counters().droppedWrites()).isZero();
    }

    @Test
    void flushWithoutWriteOffloadHasNothingToDo() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.disabled());
        protocol.write(udp(6000));
        port.flush();

        assertThat(memory.getTunnel(port).writeBuffer()).hasSize(1);
    }

    @Test
    void loseWriteConnectionRefusesLaterWritesAndKeepsReading() throws Exception {
        BatchCounting protocol = new BatchCounting();
        TuntapPort port = listen(protocol, OffloadOptions.disabled());
        MemoryTunnel tunnel = memory.getTunnel(port);
        port.loseWriteConnection();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> port.write(ByteBuffer.wrap(udp(1))))
            .hasMessageContaining("jpb0: write: EPIPE");
        tunnel.addToReadBuffer(udp(5000));
        reactor.fireReadable();
        assertThat(port.isConnected()).isTrue();
        assertThat(protocol.received).hasSize(1);
    }
}
