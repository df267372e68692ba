package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.reactor.ConnectionDone;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.reactor.Selectable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Specification of {@link MemoryReactor}, the deterministic in-memory reactor. */
class MemoryReactorTest {
    private final MemoryReactor reactor = new MemoryReactor();
    private final RecordingSelectable a = new RecordingSelectable("a", reactor);
    private final RecordingSelectable b = new RecordingSelectable("b", reactor);

    @Test
    void addReaderAndAddWriterAreRecorded() {
        reactor.addReader(a);
        reactor.addWriter(b);

        assertThat(reactor.getReaders()).containsExactly(a);
        assertThat(reactor.getWriters()).containsExactly(b);
    }

    @Test
    void addingTwiceRecordsOnce() {
        reactor.addReader(a);
        reactor.addReader(a);

        assertThat(reactor.getReaders()).hasSize(1);
    }

    @Test
    void removeReaderAndRemoveWriterForgetTheSelectable() {
        reactor.addReader(a);
        reactor.addWriter(a);

        reactor.removeReader(a);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).containsExactly(a);

        reactor.removeWriter(a);
        assertThat(reactor.getWriters()).isEmpty();
    }

    @Test
    void removingWhatIsNotWatchedIsANoOp() {
        reactor.removeReader(a);
        reactor.removeWriter(a);

        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
    }

    @Test
    void removeAllReturnsEachSelectableOnceAndClearsBothSets() {
        reactor.addReader(a);
        reactor.addWriter(a);
        reactor.addWriter(b);

        List<Selectable> removed = reactor.removeAll();

        assertThat(removed).containsExactlyInAnyOrder(a, b);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
        assertThat(reactor.removeAll()).isEmpty();
    }

    @Test
    void getReadersIsASnapshot() {
        reactor.addReader(a);
        Set<ReadDescriptor> snapshot = reactor.getReaders();

        reactor.addReader(b);
        reactor.removeReader(a);

        assertThat(snapshot).containsExactly(a);
        assertThatThrownBy(() -> snapshot.add(b)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void fireReadableCallsDoReadOnEveryReader() {
        reactor.addReader(a);
        reactor.addReader(b);
        reactor.addWriter(a);

        assertThat(reactor.fireReadable()).isEqualTo(2);

        assertThat(a.calls).containsExactly("a.doRead");
        assertThat(b.calls).containsExactly("b.doRead");
    }

    @Test
    void fireWritableCallsDoWriteOnEveryWriter() {
        reactor.addWriter(a);
        reactor.addReader(b);

        assertThat(reactor.fireWritable()).isEqualTo(1);

        assertThat(a.calls).containsExactly("a.doWrite");
        assertThat(b.calls).isEmpty();
    }

    @Test
    void fireReadableDisconnectsAReaderWhoseDoReadThrows() {
        IOException cause = new IOException("read failed");
        a.failRead = cause;
        reactor.addReader(a);
        reactor.addWriter(a);

        reactor.fireReadable();

        assertThat(a.calls).containsExactly("a.doRead", "a.connectionLost");
        assertThat(a.lostReasons).containsExactly(cause);
        assertThat(a.readerAtLoss).as("removed as reader before connectionLost").isFalse();
        assertThat(a.writerAtLoss).as("removed as writer before connectionLost").isFalse();
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
    }

    @Test
    void doReadFailureIsRecordedInErrors() {
        IOException cause = new IOException("read failed");
        a.failRead = cause;
        reactor.addReader(a);

        reactor.fireReadable();

        assertThat(reactor.errors()).containsExactly(cause);
        assertThat(reactor.errorCount()).isEqualTo(1);
    }

    @Test
    void otherReadersStillRunAfterOneFails() {
        a.failRead = new IOException("read failed");
        reactor.addReader(a);
        reactor.addReader(b);

        reactor.fireReadable();
        reactor.fireReadable();

        assertThat(b.calls).containsExactly("b.doRead", "b.doRead");
        assertThat(a.calls).containsExactly("a.doRead", "a.connectionLost");
    }

    @Test
    void readerRemovedByAnEarlierReaderIsNotCalled() {
        RecordingSelectable remover = new RecordingSelectable("remover", reactor);
        remover.onRead = () -> reactor.removeReader(b);
        reactor.addReader(remover);
        reactor.addReader(b);

        assertThat(reactor.fireReadable()).isEqualTo(1);

        assertThat(b.calls).isEmpty();
    }

    @Test
    void doWriteFailureDisconnectsTheWriter() {
        IOException cause = new IOException("write failed");
        a.failWrite = cause;
        reactor.addReader(a);
        reactor.addWriter(a);

        reactor.fireWritable();

        assertThat(a.lostReasons).containsExactly(cause);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
        assertThat(reactor.errors()).containsExactly(cause);
    }

    @Test
    void connectionDoneFromDoWriteClosesWithoutRecordingAnError() {
        ConnectionDone done = new ConnectionDone("drained");
        a.failWrite = done;
        reactor.addWriter(a);

        reactor.fireWritable();

        assertThat(a.lostReasons).containsExactly(done);
        assertThat(reactor.errors()).isEmpty();
    }

    @Test
    void readerWhoseFdIsClosedIsDisconnectedWithoutDoRead() {
        reactor.addReader(a);
        a.fd = -1;

        reactor.fireReadable();

        assertThat(a.calls).containsExactly("a.connectionLost");
        assertThat(a.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.errors()).isEmpty();
    }

    @Test
    void exceptionFromConnectionLostIsRecorded() {
        IOException cause = new IOException("read failed");
        IllegalStateException secondary = new IllegalStateException("cleanup failed");
        a.failRead = cause;
        a.failConnectionLost = secondary;
        reactor.addReader(a);

        reactor.fireReadable();

        assertThat(reactor.errors()).containsExactly(cause, secondary);
        assertThat(reactor.getReaders()).isEmpty();
    }

    @Test
    void callFromThreadRunsOnTheNextAdvanceInSubmissionOrder() throws InterruptedException {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) {
                int n = i;
                reactor.callFromThread(() -> ran.add(n));
            }
        });
        other.join(5000);
        assertThat(ran).isEmpty();

        assertThat(reactor.advance(Duration.ZERO)).isEqualTo(100);

        assertThat(ran).hasSize(100).isSorted();
    }

    @Test
    void callFromThreadRunsOnTheNextRunOnce() {
        List<String> ran = new ArrayList<>();
        reactor.callFromThread(() -> ran.add("task"));

        reactor.runOnce(0);

        assertThat(ran).containsExactly("task");
    }

    @Test
    void taskHandedOffByATaskWaitsForTheNextTurn() {
        List<String> ran = new ArrayList<>();
        reactor.callFromThread(() -> {
            ran.add("first");
            reactor.callFromThread(() -> ran.add("second"));
        });

        reactor.runOnce(0);
        assertThat(ran).containsExactly("first");

        reactor.runOnce(0);
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void exceptionFromATaskIsRecordedAndLaterTasksStillRun() {
        List<String> ran = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        reactor.callFromThread(() -> {
            throw boom;
        });
        reactor.callFromThread(() -> ran.add("after"));

        reactor.advance(Duration.ZERO);

        assertThat(reactor.errors()).containsExactly(boom);
        assertThat(ran).containsExactly("after");
    }

    @Test
    void exceptionFromATimerIsRecordedAndLaterTimersStillRun() {
        List<String> ran = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        reactor.callLater(Duration.ofSeconds(1), () -> {
            throw boom;
        });
        reactor.callLater(Duration.ofSeconds(1), () -> ran.add("after"));

        reactor.advance(Duration.ofSeconds(1));

        assertThat(reactor.errors()).containsExactly(boom);
        assertThat(ran).containsExactly("after");
        assertThat(reactor.errorCount()).isEqualTo(1);
    }

    @Test
    void callLaterRunsOnTheReactorClock() {
        List<Long> seen = new ArrayList<>();
        reactor.callLater(Duration.ofMillis(10), () -> seen.add(reactor.nanoTime()));

        reactor.advance(Duration.ofMillis(9));
        assertThat(seen).isEmpty();
        reactor.advance(Duration.ofMillis(1));

        assertThat(seen).containsExactly(10_000_000L);
        assertThat(reactor.clock().nanoTime()).isEqualTo(reactor.nanoTime());
    }

    @Test
    void runOnceFiresReadersThenDueCallsThenHandedOffTasks() {
        List<String> order = new ArrayList<>();
        RecordingSelectable reader = new RecordingSelectable("r", reactor);
        reader.onRead = () -> order.add("read");
        reactor.addReader(reader);
        reactor.callFromThread(() -> order.add("task"));
        reactor.callLater(Duration.ZERO, () -> order.add("timer"));

        assertThat(reactor.runOnce(0)).isEqualTo(3);

        assertThat(order).containsExactly("read", "timer", "task");
    }

    @Test
    void runIsUnsupported() {
        assertThatThrownBy(reactor::run).isInstanceOf(UnsupportedOperationException.class);
    }
}
