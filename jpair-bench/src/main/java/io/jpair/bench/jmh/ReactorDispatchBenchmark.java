package io.jpair.bench.jmh;

import io.jpair.errno.ErrnoException;
import io.jpair.reactor.EpollReactor;
import io.jpair.reactor.Notifier;
import io.jpair.reactor.ReadDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link EpollReactor} turn: {@code epoll_wait} plus the dispatch to a reader, the fixed cost
 * the reactor adds per wake-up (per batch of packets, not per packet). The reader watches a
 * {@link Notifier} signalled once and never drained, so the level-triggered fd is ready on every
 * turn; {@link #idleTurn()} polls a reactor whose reader's notifier is never signalled.
 */
@State(Scope.Thread)
public class ReactorDispatchBenchmark extends AbstractMicrobenchmark {
    private Notifier ready;
    private Notifier quiet;
    private EpollReactor reactor;
    private EpollReactor idle;
    private long dispatched;

    /** Created by JMH. */
    public ReactorDispatchBenchmark() {
    }

    /** A reader that only counts its wake-ups. */
    private final class Reader implements ReadDescriptor {
        private final int fd;

        Reader(int fd) {
            this.fd = fd;
        }

        @Override
        public void doRead() {
            dispatched++;
        }

        @Override
        public int fileno() {
            return fd;
        }

        @Override
        public void connectionLost(Throwable reason) {
        }
    }

    /**
     * Creates the reactors and the notifiers and makes one notifier readable.
     *
     * @throws ErrnoException if epoll or an eventfd cannot be created
     */
    @Setup
    public void setUp() throws ErrnoException {
        ready = Notifier.open();
        quiet = Notifier.open();
        ready.signal();
        reactor = new EpollReactor();
        reactor.addReader(new Reader(ready.fileno()));
        idle = new EpollReactor();
        idle.addReader(new Reader(quiet.fileno()));
    }

    /** Closes everything. */
    @TearDown
    public void tearDown() {
        reactor.removeAll();
        idle.removeAll();
        reactor.close();
        idle.close();
        ready.close();
        quiet.close();
    }

    /**
     * One turn with one ready reader: {@code epoll_wait} returns it and it is dispatched.
     *
     * @return the work done (1)
     */
    @Benchmark
    public int readableTurn() {
        return reactor.runOnce(0);
    }

    /**
     * One turn with nothing ready: the bare {@code epoll_wait(timeout 0)} plus the timer check.
     *
     * @return the work done (0)
     */
    @Benchmark
    public int idleTurn() {
        return idle.runOnce(0);
    }
}
