package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.reactor.ConnectionDone;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.ConnectionLost;
import io.jpair.stream.Protocol;
import io.jpair.transport.PullProducer;
import io.jpair.transport.PushProducer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MemoryStreamPair}: two protocols over memory, with a stream's ordering, flow control and closes. */
class MemoryStreamPairTest {
    private final MemoryReactor reactor = new MemoryReactor();

    /** Keeps what arrives and how the connection ended. */
    private static class Recorder extends Protocol {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> segments = new ArrayList<>();
        final List<Throwable> lost = new ArrayList<>();
        int readLost;

        @Override
        public void dataReceived(ByteBuffer data) {
            segments.add(data.remaining());
            while (data.hasRemaining()) {
                received.write(data.get());
            }
        }

        @Override
        public void readConnectionLost() {
            readLost++;
            super.readConnectionLost();
        }

        @Override
        public void connectionLost(Throwable reason) {
            lost.add(reason);
        }

        String text() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static final class Echo extends Recorder {
        @Override
        public void dataReceived(ByteBuffer data) {
            transport().write(data);
            super.dataReceived(data);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7);
        }
        return b;
    }

    @Test
    void bytesArriveInOrderOnALaterTurnInSegmentSizedChunks() {
        Recorder client = new Recorder();
        Echo server = new Echo();
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, client, server);

        client.transport().write(bytes(5000));
        assertThat(server.received.size()).isZero();
        pair.flush();

        assertThat(server.received.toByteArray()).isEqualTo(bytes(5000));
        assertThat(client.received.toByteArray()).isEqualTo(bytes(5000));
        assertThat(server.segments).containsExactly(1460, 1460, 1460, 620);
        assertThat(client.transport().getPeer()).isEqualTo(server.transport().getHost());
    }

    @Test
    void loseConnectionFlushesThenEndsBothSidesWithConnectionDone() {
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, client, server);

        client.transport().write("last words".getBytes(StandardCharsets.US_ASCII));
        client.transport().loseConnection();
        assertThat(client.transport().write(new byte[] {1})).isZero();
        pair.flush();

        assertThat(server.text()).isEqualTo("last words");
        assertThat(server.readLost).isEqualTo(1);
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    }

    @Test
    void aHalfClosedSideKeepsReadingUntilThePeerClosesToo() {
        Recorder client = new Recorder();
        Recorder server = new Recorder() {
            @Override
            public void readConnectionLost() {
                readLost++;
                transport().write("answer".getBytes(StandardCharsets.US_ASCII));
                transport().loseConnection();
            }
        };
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, client, server);

        client.transport().write("question".getBytes(StandardCharsets.US_ASCII));
        client.transport().loseWriteConnection();
        pair.flush();

        assertThat(server.text()).isEqualTo("question");
        assertThat(client.text()).isEqualTo("answer");
        assertThat(client.readLost).isEqualTo(1);
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    }

    @Test
    void abortDiscardsTheBufferAndResetsThePeer() {
        Recorder client = new Recorder();
        Recorder server = new Recorder();
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, client, server);

        client.transport().write(bytes(1000));
        client.transport().abortConnection();
        pair.flush();

        assertThat(server.received.size()).isZero();
        assertThat(client.lost).singleElement().isInstanceOf(ConnectionAborted.class);
        assertThat(server.lost).singleElement().isExactlyInstanceOf(ConnectionLost.class);
    }

    /** Writes 8 KiB per call while unpaused, up to a total. */
    private static final class Source extends Recorder implements PushProducer {
        final int total;
        int sent;
        int pauses;
        int resumes;
        boolean paused;

        Source(int total) {
            this.total = total;
        }

        @Override
        protected void connectionMade() {
            transport().registerProducer(this, true);
            produce();
        }

        void produce() {
            while (!paused && sent < total) {
                int n = Math.min(8192, total - sent);
                byte[] chunk = new byte[n];
                for (int i = 0; i < n; i++) {
                    chunk[i] = (byte) ((sent + i) * 7);
                }
                transport().write(chunk);
                sent += n;
            }
        }

        @Override
        public void pauseProducing() {
            paused = true;
            pauses++;
        }

        @Override
        public void resumeProducing() {
            paused = false;
            resumes++;
            produce();
        }

        @Override
        public void stopProducing() {
        }
    }

    @Test
    void aPausedReaderPausesTheWritersPushProducerUntilItReadsAgainAndNothingIsLost() {
        Recorder reader = new Recorder();
        Source source = new Source(1 << 20);
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, reader, source);
        reader.transport().pauseProducing();
        pair.flush();

        assertThat(reader.received.size()).isZero();
        assertThat(source.pauses).isEqualTo(1);
        assertThat(source.transport().bufferedBytes()).isGreaterThan(MemoryStreamPair.SEND_LIMIT);

        reader.transport().resumeProducing();
        pair.flush();

        assertThat(source.resumes).isEqualTo(source.pauses);
        assertThat(reader.received.toByteArray()).isEqualTo(bytes(1 << 20));
        assertThat(source.transport().bufferedBytes()).isZero();
    }

    @Test
    void aPullProducerIsAskedAgainEachTimeTheBufferDrains() {
        Recorder reader = new Recorder();
        int[] asked = new int[1];
        Recorder writer = new Recorder() {
            @Override
            protected void connectionMade() {
                transport().registerProducer((PullProducer) new PullProducer() {
                    @Override
                    public void resumeProducing() {
                        if (++asked[0] <= 3) {
                            transport().write(new byte[] {(byte) asked[0]});
                        }
                    }

                    @Override
                    public void stopProducing() {
                    }
                }, false);
            }
        };
        MemoryStreamPair pair = MemoryStreamPair.connect(reactor, reader, writer);
        pair.flush();

        assertThat(reader.received.toByteArray()).containsExactly(1, 2, 3);
        assertThat(asked[0]).isEqualTo(4);
    }
}
