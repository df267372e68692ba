package io.jpair.transport;

import static io.jpair.transport.ListDescriptor.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.reactor.ConnectionDone;
import io.jpair.testing.MemoryReactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Specification of {@link FileDescriptor}'s buffered writing, closing and producer flow control
 * (Twisted's {@code abstract.FileDescriptor}), over a {@link MemoryReactor}.
 */
class FileDescriptorTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final ListDescriptor descriptor = new ListDescriptor(reactor).open();
    private final RecordingProducer producer = new RecordingProducer("producer");

    private boolean isWriter() {
        return reactor.getWriters().contains(descriptor);
    }

    private boolean isReader() {
        return reactor.getReaders().contains(descriptor);
    }

    private static ByteBuffer bytes(int count) {
        return ByteBuffer.allocate(count);
    }

    // ---- buffered writing

    @Test
    void writeBuffersTheDataAndStartsWriting() throws IOException {
        assertThat(descriptor.write(ascii("hello"))).isEqualTo(5);

        assertThat(descriptor.bufferedBytes()).isEqualTo(5);
        assertThat(descriptor.written).isEmpty();
        assertThat(isWriter()).isTrue();
    }

    @Test
    void writeCopiesTheDataAndLeavesTheCallersBufferAlone() throws IOException {
        ByteBuffer data = ascii("hello");

        descriptor.write(data);
        data.put(0, (byte) 'J');
        reactor.fireWritable();

        assertThat(data.position()).isZero();
        assertThat(descriptor.writtenText()).isEqualTo("hello");
    }

    @Test
    void writeWhenNotConnectedIsDroppedSilently() throws IOException {
        ListDescriptor closed = new ListDescriptor(reactor);

        assertThat(closed.write(ascii("lost"))).isZero();

        assertThat(closed.bufferedBytes()).isZero();
        assertThat(reactor.getWriters()).doesNotContain(closed);
    }

    @Test
    void emptyWriteIsANoOp() throws IOException {
        assertThat(descriptor.write(ByteBuffer.allocate(0))).isZero();

        assertThat(isWriter()).isFalse();
        assertThat(descriptor.bufferedBytes()).isZero();
    }

    @Test
    void writeSequenceBuffersEveryPartInOrder() throws IOException {
        assertThat(descriptor.writeSequence(List.of(ascii("ab"), ascii(""), ascii("cd")))).isEqualTo(4);

        reactor.fireWritable();

        assertThat(descriptor.writtenText()).isEqualTo("abcd");
    }

    @Test
    void doWriteFlushesPartiallyThenCompletelyAndStopsWriting() throws IOException {
        descriptor.limit = 2;
        descriptor.write(ascii("abcde"));

        reactor.fireWritable();
        assertThat(descriptor.written).containsExactly("ab");
        assertThat(descriptor.bufferedBytes()).isEqualTo(3);
        assertThat(isWriter()).isTrue();

        reactor.fireWritable();
        assertThat(descriptor.written).containsExactly("ab", "cd");
        assertThat(isWriter()).isTrue();

        reactor.fireWritable();
        assertThat(descriptor.written).containsExactly("ab", "cd", "e");
        assertThat(descriptor.bufferedBytes()).isZero();
        assertThat(isWriter()).isFalse();
    }

    @Test
    void doWriteFlushesSeveralWritesWithOneWriteWhenTheFdTakesThem() throws IOException {
        descriptor.write(ascii("ab"));
        descriptor.write(ascii("cd"));

        reactor.fireWritable();

        assertThat(descriptor.written).as("the buffer is contiguous, as Twisted joins its buffer").containsExactly("abcd");
        assertThat(isWriter()).isFalse();
    }

    @Test
    void doWriteKeepsEverythingBufferedWhenTheFdWouldBlock() throws IOException {
        descriptor.limit = 0;
        descriptor.write(ascii("abc"));

        reactor.fireWritable();

        assertThat(descriptor.bufferedBytes()).isEqualTo(3);
        assertThat(isWriter()).isTrue();
    }

    @Test
    void writeSomeDataFailingDisconnectsWithThatException() throws IOException {
        IOException cause = new IOException("EIO");
        descriptor.failWrite = cause;
        descriptor.write(ascii("abc"));

        reactor.fireWritable();

        assertThat(descriptor.lostReasons).containsExactly(cause);
        assertThat(descriptor.isDisconnected()).isTrue();
        assertThat(reactor.errors()).containsExactly(cause);
    }

    // ---- closing

    @Test
    void loseConnectionWaitsForTheBufferToDrainThenLosesTheConnection() throws IOException {
        descriptor.limit = 2;
        descriptor.write(ascii("abcd"));

        descriptor.loseConnection();
        assertThat(descriptor.isDisconnecting()).isTrue();
        assertThat(isReader()).as("stops reading at once").isFalse();
        assertThat(descriptor.lostReasons).isEmpty();

        reactor.fireWritable();
        assertThat(descriptor.lostReasons).as("still draining").isEmpty();

        reactor.fireWritable();
        assertThat(descriptor.writtenText()).isEqualTo("abcd");
        assertThat(descriptor.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(descriptor.isDisconnected()).isTrue();
        assertThat(descriptor.isConnected()).isFalse();
        assertThat(isWriter()).isFalse();
        assertThat(reactor.errors()).as("an orderly close is not an error").isEmpty();
    }

    @Test
    void loseConnectionWithAnEmptyBufferClosesOnTheNextWritable() {
        descriptor.loseConnection();
        assertThat(isWriter()).isTrue();
        assertThat(descriptor.lostReasons).isEmpty();

        reactor.fireWritable();

        assertThat(descriptor.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
    }

    @Test
    void writesAfterLoseConnectionAreStillFlushedBeforeClosing() throws IOException {
        descriptor.loseConnection();
        descriptor.write(ascii("late"));

        reactor.fireWritable();

        assertThat(descriptor.writtenText()).isEqualTo("late");
        assertThat(descriptor.lostReasons).hasSize(1);
    }

    @Test
    void loseConnectionWhenNotConnectedDoesNothing() {
        ListDescriptor closed = new ListDescriptor(reactor);

        closed.loseConnection();

        assertThat(closed.isDisconnecting()).isFalse();
        assertThat(reactor.getWriters()).doesNotContain(closed);
    }

    @Test
    void loseConnectionTwiceClosesOnce() {
        descriptor.loseConnection();
        descriptor.loseConnection();

        reactor.fireWritable();
        reactor.fireWritable();

        assertThat(descriptor.lostReasons).hasSize(1);
    }

    @Test
    void loseWriteConnectionClosesTheWriteSideAfterTheDrain() throws IOException {
        descriptor.limit = 2;
        descriptor.write(ascii("abcd"));

        descriptor.loseWriteConnection();
        reactor.fireWritable();
        assertThat(descriptor.writeCloses).isZero();

        reactor.fireWritable();
        assertThat(descriptor.writeCloses).isEqualTo(1);
        assertThat(descriptor.isConnected()).as("the read side stays open").isTrue();
        assertThat(isReader()).isTrue();
        assertThat(isWriter()).isFalse();
    }

    @Test
    void writeAfterTheWriteSideClosedIsDropped() throws IOException {
        descriptor.loseWriteConnection();
        reactor.fireWritable();

        assertThat(descriptor.write(ascii("lost"))).isZero();

        assertThat(isWriter()).isFalse();
    }

    @Test
    void loseConnectionAfterTheWriteSideClosedLosesTheConnectionAtOnce() {
        descriptor.loseWriteConnection();
        reactor.fireWritable();

        descriptor.loseConnection();

        assertThat(descriptor.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(isReader()).isFalse();
        assertThat(isWriter()).isFalse();
    }

    @Test
    void readAndWriteConnectionLostLoseTheConnection() {
        IOException cause = new IOException("gone");
        ListDescriptor other = new ListDescriptor(reactor).open();

        descriptor.readConnectionLost(cause);
        other.writeConnectionLost(cause);

        assertThat(descriptor.lostReasons).containsExactly(cause);
        assertThat(other.lostReasons).containsExactly(cause);
    }

    @Test
    void connectionLostStopsReadingAndWriting() throws IOException {
        descriptor.write(ascii("abc"));

        descriptor.connectionLost(new ConnectionDone("test"));

        assertThat(isReader()).isFalse();
        assertThat(isWriter()).isFalse();
        assertThat(descriptor.isDisconnected()).isTrue();
        assertThat(descriptor.isConnected()).isFalse();
    }

    // ---- producers

    @Test
    void registerProducerTwiceThrowsWithTwistedsMessage() {
        descriptor.registerProducer(producer, true);

        assertThatThrownBy(() -> descriptor.registerProducer(new RecordingProducer("second"), true))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Cannot register producer second, because producer producer was never unregistered.");
        assertThat(descriptor.producer()).isSameAs(producer);
    }

    @Test
    void registerProducerAfterUnregisterIsAllowed() {
        descriptor.registerProducer(producer, true);
        descriptor.unregisterProducer();

        RecordingProducer second = new RecordingProducer("second");
        descriptor.registerProducer(second, true);

        assertThat(descriptor.producer()).isSameAs(second);
    }

    @Test
    void registerProducerWhenDisconnectedStopsItImmediately() {
        descriptor.connectionLost(new ConnectionDone("test"));

        descriptor.registerProducer(producer, true);

        assertThat(producer.calls).containsExactly("stop");
        assertThat(descriptor.producer()).isNull();
    }

    @Test
    void pullProducerIsResumedAtRegistration() {
        descriptor.registerProducer(producer, false);

        assertThat(producer.calls).containsExactly("resume");
    }

    @Test
    void pushProducerIsAssumedToStartUnpaused() {
        descriptor.registerProducer(producer, true);

        assertThat(producer.calls).isEmpty();
    }

    @Test
    void pullProducerIsResumedAfterEachDrain() throws IOException {
        int[] chunks = {0};
        producer.onResume = () -> {
            if (chunks[0] < 3) {
                chunks[0]++;
                writeUnchecked(ascii("chunk" + chunks[0]));
            }
        };

        descriptor.registerProducer(producer, false);
        reactor.fireWritable();
        reactor.fireWritable();
        reactor.fireWritable();

        assertThat(descriptor.written).containsExactly("chunk1", "chunk2", "chunk3");
        assertThat(producer.count("resume")).isEqualTo(4);
        assertThat(producer.count("pause")).isZero();
        assertThat(isWriter()).as("the last resume wrote nothing").isFalse();
    }

    @Test
    void pullProducerIsNeverPausedByAFullBuffer() throws IOException {
        descriptor.registerProducer(producer, false);

        descriptor.write(bytes(FileDescriptor.BUFFER_SIZE + 1));

        assertThat(producer.count("pause")).isZero();
    }

    @Test
    void streamingProducerIsNotPausedAtExactlyBufferSize() throws IOException {
        descriptor.registerProducer(producer, true);

        descriptor.write(bytes(FileDescriptor.BUFFER_SIZE));

        assertThat(producer.calls).isEmpty();
    }

    @Test
    void streamingProducerIsPausedWhenBufferedBytesExceedBufferSize() throws IOException {
        descriptor.registerProducer(producer, true);
        descriptor.write(bytes(FileDescriptor.BUFFER_SIZE));

        descriptor.write(bytes(1));

        assertThat(producer.calls).containsExactly("pause");
    }

    @Test
    void streamingProducerIsResumedWhenTheBufferDrains() throws IOException {
        descriptor.limit = FileDescriptor.BUFFER_SIZE;
        descriptor.registerProducer(producer, true);
        descriptor.write(bytes(FileDescriptor.BUFFER_SIZE + 10));

        reactor.fireWritable();
        assertThat(producer.calls).as("not drained yet").containsExactly("pause");

        reactor.fireWritable();
        assertThat(producer.calls).containsExactly("pause", "resume");
        assertThat(descriptor.bufferedBytes()).isZero();
    }

    @Test
    void unpausedStreamingProducerIsNotResumedOnDrain() throws IOException {
        descriptor.registerProducer(producer, true);
        descriptor.write(ascii("small"));

        reactor.fireWritable();

        assertThat(producer.calls).isEmpty();
    }

    @Test
    void closeRequestedWhilePullProducerIsRegisteredWaitsForUnregister() throws IOException {
        descriptor.registerProducer(producer, false);
        descriptor.write(ascii("data"));
        descriptor.loseConnection();

        reactor.fireWritable();

        assertThat(descriptor.lostReasons).as("the producer takes priority over the close").isEmpty();
        assertThat(isWriter()).isFalse();
    }

    @Test
    void unregisterProducerWhileDisconnectingStartsWritingSoTheCloseCompletes() {
        descriptor.registerProducer(producer, false);
        descriptor.loseConnection();
        reactor.fireWritable();
        assertThat(isWriter()).isFalse();

        descriptor.unregisterProducer();
        assertThat(isWriter()).isTrue();

        reactor.fireWritable();
        assertThat(descriptor.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
    }

    @Test
    void unregisterProducerWhenNotDisconnectingDoesNotStartWriting() {
        descriptor.registerProducer(producer, true);

        descriptor.unregisterProducer();

        assertThat(descriptor.producer()).isNull();
        assertThat(isWriter()).isFalse();
    }

    @Test
    void connectionLostStopsAndClearsTheProducer() {
        descriptor.registerProducer(producer, true);

        descriptor.connectionLost(new ConnectionDone("test"));

        assertThat(producer.calls).containsExactly("stop");
        assertThat(descriptor.producer()).isNull();
    }

    @Test
    void streamingRegistrationWithAPullOnlyProducerIsRejected() {
        PullProducer pullOnly = new PullProducer() {
            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };

        assertThatThrownBy(() -> descriptor.registerProducer(pullOnly, true))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(descriptor.producer()).isNull();
    }

    @Test
    void pullRegistrationWithAPushOnlyProducerIsRejected() {
        PushProducer pushOnly = new PushProducer() {
            @Override
            public void pauseProducing() {
            }

            @Override
            public void resumeProducing() {
            }

            @Override
            public void stopProducing() {
            }
        };

        assertThatThrownBy(() -> descriptor.registerProducer(pushOnly, false))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(descriptor.producer()).isNull();
    }

    // ---- the descriptor as a producer

    @Test
    void pauseProducingStopsReading() {
        descriptor.pauseProducing();

        assertThat(isReader()).isFalse();
    }

    @Test
    void resumeProducingStartsReadingAgain() {
        descriptor.pauseProducing();

        descriptor.resumeProducing();

        assertThat(isReader()).isTrue();
    }

    @Test
    void resumeProducingWhileDisconnectingDoesNotRead() {
        descriptor.loseConnection();

        descriptor.resumeProducing();

        assertThat(isReader()).isFalse();
    }

    @Test
    void resumeProducingWhenNotConnectedDoesNotRead() {
        ListDescriptor closed = new ListDescriptor(reactor);

        closed.resumeProducing();

        assertThat(reactor.getReaders()).doesNotContain(closed);
    }

    @Test
    void stopProducingLosesTheConnection() {
        descriptor.stopProducing();

        assertThat(descriptor.isDisconnecting()).isTrue();
        reactor.fireWritable();
        assertThat(descriptor.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
    }

    private void writeUnchecked(ByteBuffer data) {
        try {
            descriptor.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
