package io.jpair.stream;

import io.jpair.testing.MemoryStreamTransport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtocolTest {
    private static final class Echo extends Protocol {
        int made;

        @Override
        protected void connectionMade() {
            made++;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport().write(data);
        }
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void makeConnectionAttachesTheTransportAndCallsConnectionMadeOnce() {
        Echo echo = new Echo();
        MemoryStreamTransport transport = new MemoryStreamTransport();
        echo.makeConnection(transport);
        assertThat(echo.transport()).isSameAs(transport);
        assertThat(echo.made).isEqualTo(1);
    }

    @Test
    void aSecondMakeConnectionIsRefused() {
        Echo echo = new Echo();
        echo.makeConnection(new MemoryStreamTransport());
        assertThatThrownBy(() -> echo.makeConnection(new MemoryStreamTransport()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("already connected");
    }

    @Test
    void writeCopiesWithoutMovingTheCallersBuffer() {
        MemoryStreamTransport transport = new MemoryStreamTransport();
        ByteBuffer data = ascii("hello");
        assertThat(transport.write(data)).isEqualTo(5);
        assertThat(data.position()).isZero();
        assertThat(transport.writtenString()).isEqualTo("hello");
    }

    @Test
    void writeSequenceWritesEveryPieceInOrder() {
        MemoryStreamTransport transport = new MemoryStreamTransport();
        assertThat(transport.writeSequence(List.of(ascii("ab"), ascii("cd")))).isEqualTo(4);
        assertThat(transport.writtenString()).isEqualTo("abcd");
    }

    @Test
    void byDefaultTheEndOfTheReadSideClosesTheConnectionAfterPendingWrites() {
        Echo echo = new Echo();
        MemoryStreamTransport transport = new MemoryStreamTransport();
        echo.makeConnection(transport);
        echo.readConnectionLost();
        assertThat(transport.isDisconnecting()).isTrue();
        assertThat(transport.write(ascii("late"))).isZero();
    }

    @Test
    void stopProducingAbortsTheConnection() {
        MemoryStreamTransport transport = new MemoryStreamTransport();
        transport.stopProducing();
        assertThat(transport.isAborted()).isTrue();
    }

    @Test
    void aStreamingProducerMustBeAPushProducer() {
        MemoryStreamTransport transport = new MemoryStreamTransport();
        io.jpair.transport.PullProducer pull = new io.jpair.transport.PullProducer() {
            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };
        assertThatThrownBy(() -> transport.registerProducer(pull, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
