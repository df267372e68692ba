package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryStreamTransport;
import io.jpair.transport.PushProducer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The echo service: bytes back, reading paused by a full send buffer, close after the peer's FIN. */
class TcpEchoTest {
    private final MemoryStreamTransport transport = new MemoryStreamTransport();
    private final TcpEcho echo = new TcpEcho();

    @Test
    void dataReceivedIsWrittenBack() {
        echo.makeConnection(transport);
        echo.dataReceived(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
        echo.dataReceived(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
        assertThat(transport.writtenString()).isEqualTo("hello world");
        assertThat(echo.bytesEchoed()).isEqualTo(11);
    }

    @Test
    void aFullSendBufferPausesReadingUntilItDrains() {
        echo.makeConnection(transport);
        assertThat(transport.isStreaming()).isTrue();
        PushProducer reading = (PushProducer) transport.producer();
        reading.pauseProducing();
        assertThat(transport.isReadingPaused()).isTrue();
        reading.resumeProducing();
        assertThat(transport.isReadingPaused()).isFalse();
    }

    @Test
    void thePeersFinClosesOnceTheEchoHasGone() {
        echo.makeConnection(transport);
        echo.dataReceived(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        echo.readConnectionLost();
        assertThat(transport.producer()).isNull();
        assertThat(transport.isDisconnecting()).isTrue();
        assertThat(transport.isAborted()).isFalse();
        assertThat(transport.written()).containsExactly(1, 2, 3);
    }

    @Test
    void theReceivedBufferIsConsumed() {
        echo.makeConnection(transport);
        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 9});
        echo.dataReceived(data);
        assertThat(data.hasRemaining()).isFalse();
    }
}
