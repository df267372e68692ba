package io.jpair.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.sys.LibC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link FdWatcher} on a real pipe, driven by an {@link EpollReactor} on the test thread. Needs no root. */
class FdWatcherTest {
    private final List<Throwable> errors = new ArrayList<>();
    private final EpollReactor reactor;
    private final PipeFixture pipe = new PipeFixture();

    FdWatcherTest() throws Exception {
        reactor = new EpollReactor((source, error) -> errors.add(error));
    }

    @AfterEach
    void close() {
        reactor.close();
    }

    private static boolean isOpen(int fd) {
        return LibC.fcntl(fd, LibC.F_GETFD, 0) >= 0;
    }

    /** Counts calls and reasons. */
    private final class Counting implements FdWatcher.Handler {
        int readable;
        int writable;
        final List<Throwable> closed = new ArrayList<>();

        @Override
        public void readable(FdWatcher watcher) {
            readable++;
            pipe.drain();
        }

        @Override
        public void writable(FdWatcher watcher) {
            writable++;
            watcher.stopWriting();
        }

        @Override
        public void closed(Throwable reason) {
            closed.add(reason);
        }
    }

    @Test
    void aBorrowedFdIsReadWhenReadableAndLeftOpenByClose() {
        Counting handler = new Counting();
        FdWatcher watcher = FdWatcher.borrow(reactor, pipe.readFd, handler);
        watcher.startReading();
        reactor.runOnce(0);
        assertThat(handler.readable).isZero();

        pipe.makeReadable();
        reactor.runOnce(1000);
        watcher.close();
        watcher.close();

        assertThat(handler.readable).isEqualTo(1);
        assertThat(handler.closed).singleElement().isInstanceOf(ConnectionDone.class);
        assertThat(isOpen(pipe.readFd)).isTrue();
        assertThat(watcher.fileno()).isEqualTo(-1);
        pipe.close();
    }

    @Test
    void anOwnedFdIsClosedOnceByClose() {
        int[] fds = new int[2];
        assertThat(io.jpair.sys.Pipe.create(fds)).isZero();
        Counting handler = new Counting();
        FdWatcher watcher = FdWatcher.own(reactor, fds[0], handler);
        watcher.startReading();

        watcher.close();
        watcher.close();

        assertThat(isOpen(fds[0])).isFalse();
        assertThat(handler.closed).hasSize(1);
        assertThat(reactor.getReaders()).isEmpty();
        LibC.close(fds[1]);
        pipe.close();
    }

    @Test
    void writableIsCalledOnlyWhileWritingIsWanted() {
        Counting handler = new Counting();
        FdWatcher watcher = FdWatcher.borrow(reactor, pipe.writeFd, handler);
        watcher.startWriting();
        reactor.runOnce(1000);
        reactor.runOnce(0);

        assertThat(handler.writable).isEqualTo(1);
        watcher.close();
        pipe.close();
    }

    @Test
    void aHandlerExceptionIsReportedAndDisconnectsTheWatcherWithItAsReason() {
        int[] fds = new int[2];
        assertThat(io.jpair.sys.Pipe.create(fds)).isZero();
        IllegalStateException boom = new IllegalStateException("boom");
        List<Throwable> closed = new ArrayList<>();
        FdWatcher watcher = FdWatcher.own(reactor, fds[0], new FdWatcher.Handler() {
            @Override
            public void readable(FdWatcher w) {
                throw boom;
            }

            @Override
            public void closed(Throwable reason) {
                closed.add(reason);
            }
        });
        watcher.startReading();
        LibC.close(fds[1]);

        reactor.runOnce(1000);

        assertThat(errors).containsExactly(boom);
        assertThat(closed).containsExactly(boom);
        assertThat(isOpen(fds[0])).isFalse();
        assertThat(watcher.isOpen()).isFalse();
        pipe.close();
    }
}
