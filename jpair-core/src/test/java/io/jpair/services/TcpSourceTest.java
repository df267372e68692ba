package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.jpair.reactor.ConnectionDone;
import io.jpair.testing.ManualClock;
import io.jpair.testing.MemoryStreamTransport;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The source service: writes the {@code k mod 256} pattern until paused by a full send buffer,
 * goes on when resumed, stops at the peer's FIN, never holds the reactor, allocates nothing per write.
 */
class TcpSourceTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final ManualClock clock = new ManualClock();

    @Test
    void connectionMadeWritesUntilTheSendBufferIsFull() {
        BoundedStreamTransport transport = new BoundedStreamTransport(256 * 1024, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        assertThat(transport.producer()).isInstanceOf(BulkProducer.class);
        assertThat(transport.producerPaused()).isTrue();
        assertThat(transport.total()).isEqualTo(256 * 1024 + BulkProducer.CHUNK);
        assertThat(source.bytesSent()).isEqualTo(transport.total());
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void aResumedSourceGoesOnWithTheSamePattern() {
        BoundedStreamTransport transport = new BoundedStreamTransport(100_000, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        for (int i = 0; i < 50; i++) {
            transport.drain();
        }
        assertThat(transport.total()).isEqualTo(51L * 2 * BulkProducer.CHUNK);
        assertThat(transport.patternErrors()).isZero();
    }

    @Test
    void aTransportThatNeverPausesGetsOneBurstPerReactorTurn() {
        BoundedStreamTransport transport = new BoundedStreamTransport(Long.MAX_VALUE, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        assertThat(transport.writes()).isEqualTo(BulkProducer.BURST);
        assertThat(clock.advance(Duration.ZERO)).isEqualTo(1);
        assertThat(transport.writes()).isEqualTo(2 * BulkProducer.BURST);
    }

    @Test
    void thePeersFinStopsTheSourceAndClosesTheConnection() {
        BoundedStreamTransport transport = new BoundedStreamTransport(Long.MAX_VALUE, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        source.readConnectionLost();
        long sent = transport.total();
        clock.advance(Duration.ZERO);
        assertThat(transport.total()).isEqualTo(sent);
        assertThat(transport.producer()).isNull();
        assertThat(transport.isClosing()).isTrue();
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void connectionLostStopsTheSource() {
        BoundedStreamTransport transport = new BoundedStreamTransport(Long.MAX_VALUE, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        source.connectionLost(new ConnectionDone("closed"));
        long sent = transport.total();
        clock.advance(Duration.ZERO);
        assertThat(transport.total()).isEqualTo(sent);
    }

    @Test
    void whatThePeerSendsIsDropped() {
        MemoryStreamTransport transport = new MemoryStreamTransport();
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        transport.clear();
        ByteBuffer data = ByteBuffer.allocate(100);
        source.dataReceived(data);
        assertThat(data.hasRemaining()).isFalse();
        assertThat(source.bytesReceived()).isEqualTo(100);
        assertThat(transport.written()).isEmpty();
    }

    @Test
    void writingAllocatesNothingPerWrite() {
        BoundedStreamTransport transport = new BoundedStreamTransport(4 * BulkProducer.CHUNK, false);
        TcpSource source = new TcpSource(clock);
        source.makeConnection(transport);
        for (int i = 0; i < 20_000; i++) {
            transport.drain(); // warm-up: 5 writes each
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long writes = transport.writes();
        for (int i = 0; i < 10_000; i++) {
            transport.drain();
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(transport.writes() - writes).isEqualTo(50_000);
        assertThat(allocated).isLessThan(1024); // what the counter itself may cost: not per write
        assertThat(transport.patternErrors()).isZero();
    }
}
