package io.jpair.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.ErrnoException;
import io.jpair.kernel.ProcFds;
import io.jpair.sys.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Specification of {@link EpollReactor} against the real kernel, with pipes as fds. Needs neither
 * root nor a network namespace. Every wait is bounded.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EpollReactorTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<Selectable> errorSources = Collections.synchronizedList(new ArrayList<>());
    private final EpollReactor reactor = newReactor();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private EpollReactor newReactor() {
        try {
            return new EpollReactor((source, error) -> {
                errorSources.add(source);
                errors.add(error);
            });
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void closeEverything() throws Exception {
        reactor.stop();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        reactor.close();
    }

    private PipeFixture pipe() {
        PipeFixture pipe = new PipeFixture();
        toClose.add(pipe);
        return pipe;
    }

    /** Turns the loop until {@code done} or a bounded wait. */
    private void runUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within the bounded wait").isLessThan(deadline);
            reactor.runOnce(TURN_NANOS);
        }
    }

    @Test
    void readerIsCalledWhenItsFdBecomesReadable() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        reader.onRead = pipe::drain;
        reactor.addReader(reader);

        reactor.runOnce(0);
        assertThat(reader.calls).isEmpty();

        pipe.makeReadable();
        runUntil(() -> !reader.calls.isEmpty());

        assertThat(reader.calls).containsExactly("doRead");
    }

    @Test
    void readerIsNotCalledOnceRemoved() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        reactor.addReader(reader);

        reactor.removeReader(reader);
        pipe.makeReadable();
        reactor.runOnce(TURN_NANOS);

        assertThat(reader.calls).isEmpty();
        assertThat(reactor.getReaders()).isEmpty();
    }

    @Test
    void readinessIsLevelTriggered() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        reactor.addReader(reader);
        pipe.makeReadable();

        reactor.runOnce(0);
        reactor.runOnce(0);
        assertThat(reader.count("doRead")).as("re-delivered while data remains").isEqualTo(2);

        pipe.drain();
        reactor.runOnce(0);
        assertThat(reader.count("doRead")).as("quiet once drained").isEqualTo(2);
    }

    @Test
    void writerIsCalledWhenItsFdIsWritable() {
        PipeFixture pipe = pipe();
        FdSelectable writer = new FdSelectable("writer", pipe.writeFd, reactor);
        reactor.addWriter(writer);

        runUntil(() -> !writer.calls.isEmpty());

        assertThat(writer.calls).containsExactly("doWrite");
    }

    @Test
    void writerIsNotCalledOnceRemoved() {
        PipeFixture pipe = pipe();
        FdSelectable writer = new FdSelectable("writer", pipe.writeFd, reactor);
        reactor.addWriter(writer);

        reactor.removeWriter(writer);
        reactor.runOnce(0);

        assertThat(writer.calls).isEmpty();
    }

    @Test
    void readerAndWriterOnTheSameFdAreBothServed() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        FdSelectable writerOfReadEnd = new FdSelectable("other", pipe.readFd, reactor);
        reactor.addReader(reader);
        reactor.addWriter(writerOfReadEnd);
        pipe.makeReadable();

        reactor.runOnce(0);
        reactor.removeWriter(writerOfReadEnd);
        reactor.runOnce(0);

        // A pipe's read end never becomes writable; what matters is that removing the writer kept
        // the reader's interest.
        assertThat(reader.count("doRead")).isEqualTo(2);
        assertThat(writerOfReadEnd.calls).isEmpty();
    }

    @Test
    void doReadThrowingDisconnectsWithThatException() {
        PipeFixture pipe = pipe();
        IOException cause = new IOException("read failed");
        FdSelectable failing = new FdSelectable("failing", pipe.readFd, reactor);
        failing.onRead = () -> {
            throw cause;
        };
        reactor.addReader(failing);
        reactor.addWriter(failing);
        pipe.makeReadable();

        reactor.runOnce(0);

        assertThat(failing.calls).containsExactly("doRead", "connectionLost");
        assertThat(failing.lostReasons).containsExactly(cause);
        assertThat(failing.readerAtLoss).as("removed as reader before connectionLost").isFalse();
        assertThat(failing.writerAtLoss).as("removed as writer before connectionLost").isFalse();
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
    }

    @Test
    void doReadThrowingIsCountedAndPassedToTheErrorHandler() {
        PipeFixture pipe = pipe();
        IOException cause = new IOException("read failed");
        FdSelectable failing = new FdSelectable("failing", pipe.readFd, reactor);
        failing.onRead = () -> {
            throw cause;
        };
        reactor.addReader(failing);
        pipe.makeReadable();

        reactor.runOnce(0);

        assertThat(reactor.errorCount()).isEqualTo(1);
        assertThat(errors).containsExactly(cause);
        assertThat(errorSources).containsExactly(failing);
    }

    @Test
    void loopKeepsServingOtherReadersAfterOneFails() {
        PipeFixture bad = pipe();
        PipeFixture good = pipe();
        FdSelectable failing = new FdSelectable("failing", bad.readFd, reactor);
        failing.onRead = () -> {
            throw new IOException("read failed");
        };
        FdSelectable healthy = new FdSelectable("healthy", good.readFd, reactor);
        reactor.addReader(failing);
        reactor.addReader(healthy);
        bad.makeReadable();
        good.makeReadable();

        for (int i = 0; i < 3; i++) {
            reactor.runOnce(0);
        }

        assertThat(healthy.count("doRead")).isEqualTo(3);
        assertThat(failing.count("doRead")).isEqualTo(1);
        assertThat(reactor.getReaders()).containsExactly(healthy);
    }

    @Test
    void doWriteThrowingDisconnectsWithThatException() {
        PipeFixture pipe = pipe();
        IOException cause = new IOException("write failed");
        FdSelectable failing = new FdSelectable("failing", pipe.writeFd, reactor);
        failing.onWrite = () -> {
            throw cause;
        };
        reactor.addWriter(failing);

        runUntil(() -> !failing.lostReasons.isEmpty());

        assertThat(failing.lostReasons).containsExactly(cause);
        assertThat(reactor.getWriters()).isEmpty();
        assertThat(reactor.errorCount()).isEqualTo(1);
    }

    @Test
    void selectableWhoseFdIsClosedWhenReadyIsDisconnectedWithoutDoRead() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        reactor.addReader(reader);
        pipe.makeReadable();
        reader.fd = -1;

        reactor.runOnce(0);

        assertThat(reader.calls).containsExactly("connectionLost");
        assertThat(reader.lostReasons).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.errorCount()).isZero();
    }

    @Test
    void addReaderOfAClosedSelectableThrowsAndWatchesNothing() {
        FdSelectable closed = new FdSelectable("closed", -1, reactor);

        assertThatThrownBy(() -> reactor.addReader(closed)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("closed");

        assertThat(reactor.getReaders()).isEmpty();
        reactor.removeReader(closed);
        assertThat(reactor.removeAll()).isEmpty();
    }

    @Test
    void addReaderOfAnFdEpollRejectsThrowsAndWatchesNothing(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("regular"), "epoll refuses regular files");
        int fd = LibC.open(file.toString(), 0);
        assertThat(fd).isNotNegative();
        toClose.add(() -> LibC.close(fd));
        FdSelectable reader = new FdSelectable("regular", fd, reactor);

        assertThatThrownBy(() -> reactor.addReader(reader)).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("regular: ").hasMessageContaining("epoll_ctl: EPERM");

        assertThat(reactor.getReaders()).isEmpty();
        reactor.removeReader(reader);
        assertThat(reactor.removeAll()).isEmpty();
    }

    @Test
    void removeAllReturnsEachSelectableOnceAndStopsWatching() {
        PipeFixture pipe = pipe();
        FdSelectable both = new FdSelectable("both", pipe.readFd, reactor);
        FdSelectable writer = new FdSelectable("writer", pipe.writeFd, reactor);
        reactor.addReader(both);
        reactor.addWriter(both);
        reactor.addWriter(writer);
        pipe.makeReadable();

        List<Selectable> removed = reactor.removeAll();
        reactor.runOnce(0);

        assertThat(removed).containsExactlyInAnyOrder(both, writer);
        assertThat(reactor.getReaders()).isEmpty();
        assertThat(reactor.getWriters()).isEmpty();
        assertThat(both.calls).isEmpty();
        assertThat(writer.calls).isEmpty();
    }

    @Test
    void selectableCanBeWatchedAgainAfterRemoval() {
        PipeFixture pipe = pipe();
        FdSelectable reader = new FdSelectable("reader", pipe.readFd, reactor);
        reactor.addReader(reader);
        reactor.removeReader(reader);
        pipe.makeReadable();

        reactor.addReader(reader);
        reactor.runOnce(0);

        assertThat(reader.calls).containsExactly("doRead");
    }

    @Test
    void callLaterRunsCallsInDeadlineOrder() {
        List<String> ran = new ArrayList<>();
        reactor.callLater(Duration.ofMillis(30), () -> ran.add("30"));
        reactor.callLater(Duration.ofMillis(10), () -> ran.add("10"));
        reactor.callLater(Duration.ofMillis(20), () -> ran.add("20"));

        runUntil(() -> ran.size() == 3);

        assertThat(ran).containsExactly("10", "20", "30");
    }

    @Test
    void callLaterDoesNotRunBeforeItsDelay() {
        long start = System.nanoTime();
        long[] ranAt = new long[1];
        reactor.callLater(Duration.ofMillis(40), () -> ranAt[0] = System.nanoTime());

        reactor.runOnce(0);
        assertThat(ranAt[0]).isZero();
        runUntil(() -> ranAt[0] != 0);

        assertThat(ranAt[0] - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void runOnceWithoutTimeoutWakesForTheNextTimer() {
        List<String> ran = new ArrayList<>();
        reactor.callLater(Duration.ofMillis(10), () -> ran.add("timer"));

        reactor.runOnce(-1);

        assertThat(ran).containsExactly("timer");
    }

    @Test
    void cancelledCallDoesNotRun() {
        List<String> ran = new ArrayList<>();
        DelayedCall cancelled = reactor.callLater(Duration.ofMillis(10), () -> ran.add("cancelled"));
        reactor.callLater(Duration.ofMillis(30), () -> ran.add("kept"));

        assertThat(cancelled.cancel()).isTrue();
        runUntil(() -> !ran.isEmpty());

        assertThat(ran).containsExactly("kept");
        assertThat(cancelled.isActive()).isFalse();
    }

    @Test
    void callLaterZeroRunsOnTheNextTurnNotSynchronously() {
        List<String> ran = new ArrayList<>();

        DelayedCall call = reactor.callLater(Duration.ZERO, () -> ran.add("now"));
        assertThat(ran).isEmpty();
        assertThat(call.isActive()).isTrue();

        reactor.runOnce(0);
        assertThat(ran).containsExactly("now");
    }

    @Test
    void exceptionFromATimerIsCountedAndTheLoopGoesOn() {
        List<String> ran = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        reactor.callLater(Duration.ZERO, () -> {
            throw boom;
        });
        reactor.callLater(Duration.ZERO, () -> ran.add("after"));

        reactor.runOnce(0);

        assertThat(errors).containsExactly(boom);
        assertThat(errorSources).containsExactly((Selectable) null);
        assertThat(ran).containsExactly("after");
        assertThat(reactor.errorCount()).isEqualTo(1);
    }

    @Test
    void callFromThreadWakesABlockedRunOnce() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Integer> turn = new CompletableFuture<>();
        Thread loop = Thread.ofPlatform().name("reactor").start(() -> {
            entered.countDown();
            turn.complete(reactor.runOnce(-1));
        });
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50); // let it block in epoll_wait (the test also passes if it has not yet)

        reactor.callFromThread(() -> ran.add("task"));

        assertThat(turn.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(ran).containsExactly("task");
        loop.join(5000);
    }

    @Test
    void callFromThreadRunsTasksInSubmissionOrder() throws Exception {
        List<Integer> ran = new ArrayList<>();
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                reactor.callFromThread(() -> ran.add(n));
            }
        });
        other.join(5000);

        runUntil(() -> ran.size() == 1000);

        assertThat(ran).isSorted();
    }

    @Test
    void callFromThreadWakesARunningLoop() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        waitUntil(reactor::isRunning);

        reactor.callFromThread(() -> ranOn.complete(Thread.currentThread()));

        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(loop);
        reactor.stop();
        loop.join(5000);
        assertThat(loop.isAlive()).isFalse();
    }

    @Test
    void stopFromAnotherThreadMakesRunReturn() throws Exception {
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        waitUntil(reactor::isRunning);

        reactor.stop();
        loop.join(5000);

        assertThat(loop.isAlive()).as("run() returned").isFalse();
        assertThat(reactor.isRunning()).isFalse();
    }

    @Test
    void stopRightAfterRunStartsIsNotLost() throws Exception {
        for (int i = 0; i < 20; i++) {
            Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
            while (!reactor.isRunning() && loop.isAlive()) {
                Thread.onSpinWait();
            }
            reactor.stop();
            loop.join(5000);
            assertThat(loop.isAlive()).as("run() returned on attempt %d", i).isFalse();
        }
    }

    @Test
    void runWhileRunningThrowsIllegalState() throws Exception {
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        waitUntil(reactor::isRunning);

        assertThatThrownBy(reactor::run).isInstanceOf(IllegalStateException.class);

        assertThat(reactor.isRunning()).isTrue();
        reactor.stop();
        loop.join(5000);
        assertThat(loop.isAlive()).isFalse();
    }

    @Test
    void runCanBeCalledAgainAfterItReturned() throws Exception {
        for (int i = 0; i < 2; i++) {
            Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
            waitUntil(reactor::isRunning);
            reactor.stop();
            loop.join(5000);
            assertThat(loop.isAlive()).isFalse();
        }
    }

    @Test
    void closeReleasesItsDescriptors() throws ErrnoException {
        long before = ProcFds.count();
        EpollReactor one = new EpollReactor();
        assertThat(ProcFds.count()).as("an open reactor holds an epoll fd and an eventfd").isEqualTo(before + 2);
        one.close();
        assertThat(ProcFds.count()).isEqualTo(before);

        for (int i = 0; i < 200; i++) {
            new EpollReactor().close();
        }

        assertThat(ProcFds.count()).isEqualTo(before);
    }

    @Test
    void closeTwiceIsHarmless() throws ErrnoException {
        long before = ProcFds.count();
        EpollReactor one = new EpollReactor();

        one.close();
        one.close();

        assertThat(ProcFds.count()).isEqualTo(before);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached within the bounded wait").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
