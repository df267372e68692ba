package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.MemoryStreamTransport;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The discard service: counts, drops, answers nothing, closes after the peer's FIN. */
class TcpDiscardTest {
    private final MemoryStreamTransport transport = new MemoryStreamTransport();
    private final TcpDiscard discard = new TcpDiscard();

    @Test
    void bytesAreCountedAndNothingIsSent() {
        discard.makeConnection(transport);
        discard.dataReceived(ByteBuffer.allocate(1000));
        discard.dataReceived(ByteBuffer.allocateDirect(65536));
        assertThat(discard.bytesReceived()).isEqualTo(66536);
        assertThat(transport.written()).isEmpty();
    }

    @Test
    void thePeersFinClosesTheConnection() {
        discard.makeConnection(transport);
        discard.readConnectionLost();
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void theReceivedBufferIsConsumed() {
        discard.makeConnection(transport);
        ByteBuffer data = ByteBuffer.allocate(10);
        discard.dataReceived(data);
        assertThat(data.hasRemaining()).isFalse();
    }
}
